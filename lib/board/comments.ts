/** Comment threads on assumptions and scenarios (root `comments`). */
import type * as Y from 'yjs';
import * as v from 'valibot';
import type { ParticipantIdentity } from '../protocol';
import { COMMENT_MAX, ID_MAX, KEY_MAX } from './limits';
import { ROOT } from './layout';
import { authorSchema } from './author';

export const commentSchema = v.strictObject({
  id: v.pipe(v.string(), v.maxLength(KEY_MAX)),
  target: v.strictObject({
    kind: v.picklist(['assumption', 'scenario']),
    id: v.pipe(v.string(), v.maxLength(ID_MAX)),
  }),
  /** null for the first comment of a thread; replies name it. */
  parentId: v.nullable(v.pipe(v.string(), v.maxLength(KEY_MAX))),
  by: authorSchema,
  at: v.pipe(v.number(), v.finite()),
  text: v.pipe(v.string(), v.minLength(1), v.maxLength(COMMENT_MAX)),
  /** Only meaningful on a thread's first comment. */
  resolved: v.boolean(),
});
export type Comment = v.InferOutput<typeof commentSchema>;

export interface CommentThread {
  root: Comment;
  replies: Comment[];
}

let commentCounter = 0;

/** Add a comment (a new thread when `parentId` is null); returns its id. */
export function addComment(
  doc: Y.Doc,
  input: {
    target: Comment['target'];
    parentId?: string | null;
    /** The commenter's server-issued identity: the server refuses a comment signed as anyone else. */
    by: ParticipantIdentity;
    text: string;
    now?: number;
  },
): string | null {
  const text = input.text.trim().slice(0, COMMENT_MAX);
  if (!text) return null;
  const id = `${doc.clientID.toString(36)}-${(input.now ?? Date.now()).toString(36)}-${(commentCounter++).toString(36)}`;
  const comment: Comment = {
    id,
    target: input.target,
    parentId: input.parentId ?? null,
    by: { id: input.by.id, name: input.by.name, color: input.by.color },
    at: input.now ?? Date.now(),
    text,
    resolved: false,
  };
  doc.getMap<unknown>(ROOT.comments).set(id, comment);
  return id;
}

export function setThreadResolved(doc: Y.Doc, threadId: string, resolved: boolean): void {
  const comments = doc.getMap<unknown>(ROOT.comments);
  const parsed = v.safeParse(commentSchema, comments.get(threadId));
  if (parsed.success) comments.set(threadId, { ...parsed.output, resolved });
}

/** Threads (oldest first), each with its replies (oldest first). */
export function readThreads(doc: Y.Doc): CommentThread[] {
  const all: Comment[] = [];
  for (const value of doc.getMap<unknown>(ROOT.comments).values()) {
    const c = v.safeParse(commentSchema, value);
    if (c.success) all.push(c.output);
  }
  all.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  const threads = new Map<string, CommentThread>();
  for (const c of all) if (c.parentId === null) threads.set(c.id, { root: c, replies: [] });
  for (const c of all) if (c.parentId !== null) threads.get(c.parentId)?.replies.push(c);
  return [...threads.values()];
}
