'use client';

import { useState, type FormEvent } from 'react';
import { COMMENT_MAX } from '@/lib/board/limits';
import {
  addComment,
  setThreadResolved,
  type Comment,
  type CommentThread,
} from '@/lib/board/comments';
import { relativeTime } from '@/lib/client/history';
import { threadsFor, useThreads } from './useThreads';
import { useBoardContext } from '@/components/board/BoardContext';
import { Avatar } from '@/components/ui/Avatar';
import { useFormatter, useLocale, useNow, useTranslations } from 'next-intl';

/** Why this person cannot comment (viewer, no name yet), or null. */
export function useCommentBlock(): string | null {
  const t = useTranslations('comments');
  const { role, identity, me } = useBoardContext();
  if (role === 'viewer') return t('blockViewer');
  if (!identity) return t('blockNoName');
  if (!me) return t('blockJoining');
  return null;
}

/** The threads on one assumption or scenario: read, reply, resolve or reopen, start a new one. */
export function CommentThreads({ target, label }: { target: Comment['target']; label: string }) {
  const t = useTranslations('comments');
  const { session, me } = useBoardContext();
  const threads = threadsFor(useThreads(session.doc), target);
  const block = useCommentBlock();
  const [showResolved, setShowResolved] = useState(false);
  const open = threads.filter((t) => !t.root.resolved);
  const resolved = threads.filter((t) => t.root.resolved);
  const shown = showResolved ? threads : open;

  return (
    <div className="flex flex-col gap-3" data-testid={`threads-${target.kind}-${target.id}`}>
      {shown.length === 0 && (
        <p className="text-sm text-muted">
          {threads.length === 0 ? t('none', { label }) : t('allResolved')}
        </p>
      )}
      {shown.map((thread) => (
        <ThreadView key={thread.root.id} thread={thread} canWrite={block === null} />
      ))}
      {resolved.length > 0 && (
        <button
          type="button"
          onClick={() => setShowResolved((v) => !v)}
          className="self-start text-xs font-medium text-accent hover:underline"
        >
          {showResolved ? t('hideResolved') : t('showResolved', { count: resolved.length })}
        </button>
      )}
      {block ? (
        <p className="text-xs text-muted">{block}</p>
      ) : (
        <CommentForm
          placeholder={t('placeholder', { label })}
          submitLabel={t('submit')}
          testIds
          onSubmit={(text) =>
            me !== null &&
            addComment(session.doc, { target, parentId: null, by: me, text }) !== null
          }
        />
      )}
    </div>
  );
}

function ThreadView({ thread, canWrite }: { thread: CommentThread; canWrite: boolean }) {
  const { session, me } = useBoardContext();
  const t = useTranslations('comments');
  const [replying, setReplying] = useState(false);
  const { root } = thread;
  return (
    <article
      className={`rounded-lg border border-line p-3 ${root.resolved ? 'bg-canvas opacity-80' : 'bg-surface'}`}
      data-testid="comment-thread"
      data-resolved={root.resolved}
    >
      <CommentView comment={root} />
      {thread.replies.length > 0 && (
        <div className="mt-2 flex flex-col gap-2 border-s-2 border-line ps-3">
          {thread.replies.map((r) => (
            <CommentView key={r.id} comment={r} />
          ))}
        </div>
      )}
      {canWrite && (
        <div className="mt-2 flex flex-wrap items-center gap-3 text-xs font-medium">
          {!root.resolved && (
            <button
              type="button"
              className="text-accent hover:underline"
              onClick={() => setReplying((v) => !v)}
            >
              {t('reply')}
            </button>
          )}
          <button
            type="button"
            className="text-muted hover:text-ink hover:underline"
            data-testid="comment-resolve"
            onClick={() => setThreadResolved(session.doc, root.id, !root.resolved)}
          >
            {root.resolved ? t('reopen') : t('resolve')}
          </button>
        </div>
      )}
      {canWrite && replying && (
        <div className="mt-2">
          <CommentForm
            placeholder={t('replyPlaceholder')}
            submitLabel={t('reply')}
            autoFocus
            onSubmit={(text) => {
              const ok =
                me !== null &&
                addComment(session.doc, {
                  target: root.target,
                  parentId: root.id,
                  by: me,
                  text,
                }) !== null;
              if (ok) setReplying(false);
              return ok;
            }}
          />
        </div>
      )}
    </article>
  );
}

function CommentView({ comment }: { comment: Comment }) {
  const locale = useLocale();
  const format = useFormatter();
  const now = useNow({ updateInterval: 60_000 });
  return (
    <div className="flex gap-2" data-testid="comment">
      <Avatar name={comment.by.name} color={comment.by.color} size="xs" className="mt-0.5" />
      <div className="min-w-0 flex-1">
        <p className="text-xs text-muted">
          <span className="font-semibold text-ink">{comment.by.name}</span> ·{' '}
          <time
            dateTime={new Date(comment.at).toISOString()}
            title={new Date(comment.at).toLocaleString()}
          >
            {/* English keeps the board's own short wording; other languages use Intl's. */}
            {locale === 'en' ? relativeTime(comment.at) : format.relativeTime(comment.at, now)}
          </time>
        </p>
        <p className="text-sm break-words whitespace-pre-wrap" dir="auto">
          {comment.text}
        </p>
      </div>
    </div>
  );
}

function CommentForm({
  placeholder,
  submitLabel,
  onSubmit,
  autoFocus = false,
  testIds = false,
}: {
  placeholder: string;
  submitLabel: string;
  onSubmit: (text: string) => boolean;
  autoFocus?: boolean;
  testIds?: boolean;
}) {
  const [text, setText] = useState('');
  function submit(e: FormEvent) {
    e.preventDefault();
    if (text.trim() && onSubmit(text)) setText('');
  }
  return (
    <form onSubmit={submit} className="flex flex-col gap-2">
      <textarea
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) submit(e);
        }}
        placeholder={placeholder}
        aria-label={placeholder}
        maxLength={COMMENT_MAX}
        rows={2}
        autoFocus={autoFocus}
        data-testid={testIds ? 'comment-input' : 'reply-input'}
        className="w-full resize-y rounded-lg border border-line bg-surface px-2.5 py-1.5 text-sm focus:border-accent focus:outline-none"
      />
      <button
        type="submit"
        disabled={!text.trim()}
        data-testid={testIds ? 'comment-submit' : 'reply-submit'}
        className="h-8 self-end rounded-lg bg-accent px-3 text-sm font-medium text-white disabled:opacity-50"
      >
        {submitLabel}
      </button>
    </form>
  );
}
