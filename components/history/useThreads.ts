import type * as Y from 'yjs';
import { readThreads, type Comment, type CommentThread } from '@/lib/board/comments';
import { useDocValue } from '@/lib/client/history';

// Apart from CommentThreads.tsx so that a comment count (AssumptionComments, on every lever)
// does not load the thread view, which loads when a thread is opened.

/** Every thread of the board, live (re-read on each document update). */
export function useThreads(doc: Y.Doc): CommentThread[] {
  return useDocValue(doc, readThreads);
}

export function threadsFor(
  threads: readonly CommentThread[],
  target: Comment['target'],
): CommentThread[] {
  return threads.filter(
    (t) => t.root.target.kind === target.kind && t.root.target.id === target.id,
  );
}
