/**
 * What the server says on the Yjs connection besides the document: a refused change
 * (`YMessage.notice`) and the close codes after which the client reconnects, in plain words.
 */
import * as v from 'valibot';
import { CloseCode as CloseCodes, type ServerNotice } from '../protocol';

/**
 * Connection resets the person should hear about, in plain words (the client reconnects by
 * itself after each; codes after which it cannot are shown as errors instead).
 */
export const RESET_WORDS: Partial<Record<number, string>> = {
  [CloseCodes.refusedTooOften]:
    'The board kept refusing changes from this tab, so it reconnected. Your board is up to date.',
  [CloseCodes.rateLimited]: 'This tab sent too much at once; it reconnected and is up to date.',
  [CloseCodes.slowConsumer]: 'The connection was too slow to keep up; it reconnected.',
  [CloseCodes.messageTooBig]: 'A change was too large to send; the board reconnected.',
  [CloseCodes.internalError]: 'The server had a problem saving; your changes will be sent again.',
};

const noticeSchema = v.object({
  type: v.literal('refused'),
  kind: v.pipe(v.string(), v.maxLength(32)),
  message: v.pipe(v.string(), v.maxLength(500)),
  path: v.pipe(v.string(), v.maxLength(500)),
});

export function parseNotice(text: string): ServerNotice | null {
  try {
    const parsed = v.safeParse(noticeSchema, JSON.parse(text));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}

/** A refusal as a person reads it: the server's words already are, for the kinds people meet. */
export function noticeWords(notice: ServerNotice): string {
  if (notice.kind === 'viewOnly') return notice.message;
  if (['frozen', 'locked', 'forbidden'].includes(notice.kind))
    return `${notice.message} Your change was undone.`;
  return `Your last change was not saved: ${notice.message}`;
}
