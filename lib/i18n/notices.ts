/**
 * The server's passing notices in the reader's language. The server speaks English on the wire
 * (a refused change's `kind` and `message`, a reset's close code); the catalog has words for each
 * kind (`refusal.*`) and each reset (`reset.*`). An English reader keeps the server's own words,
 * which are more specific ("Freelancer conversion rate is locked by Maria"); another reader gets
 * the catalog's words for the kind, and the English message only for a kind this code does not know.
 */
import { REFUSAL_KINDS, type RefusalKind } from '../board/refusal';
import { CloseCode } from '../protocol';
import { DEFAULT_LOCALE } from './locales';

/** The resets (close codes) the client tells the person about, by catalog key. */
export const RESET_KEYS = {
  [CloseCode.refusedTooOften]: 'refusedTooOften',
  [CloseCode.rateLimited]: 'rateLimited',
  [CloseCode.slowConsumer]: 'slowConsumer',
  [CloseCode.messageTooBig]: 'messageTooBig',
  [CloseCode.internalError]: 'internalError',
} as const satisfies Partial<Record<CloseCode, string>>;
export type ResetKey = (typeof RESET_KEYS)[keyof typeof RESET_KEYS];

export interface Notice {
  message: string;
  refusal?: string;
  reset?: number;
}

/** The catalog key for a notice (`refusal.locked`, `reset.rateLimited`), or null if it has none. */
export function noticeKey(notice: Notice): `refusal.${RefusalKind}` | `reset.${ResetKey}` | null {
  if (notice.refusal !== undefined && (REFUSAL_KINDS as readonly string[]).includes(notice.refusal))
    return `refusal.${notice.refusal as RefusalKind}`;
  if (notice.reset !== undefined && notice.reset in RESET_KEYS)
    return `reset.${RESET_KEYS[notice.reset as keyof typeof RESET_KEYS]}`;
  return null;
}

/** What the toast shows: `translate` looks a key up in the active catalog. */
export function noticeText(
  notice: Notice,
  locale: string,
  translate: (key: `refusal.${RefusalKind}` | `reset.${ResetKey}`) => string,
): string {
  if (locale === DEFAULT_LOCALE) return notice.message;
  const key = noticeKey(notice);
  return key === null ? notice.message : translate(key);
}

/**
 * Why edits were set aside (lib/client/storedCopy.ts's reasons, also kept as text in the browser
 * from an earlier visit), as a catalog key under `unsent.reason` and the detail it quotes. Null
 * for words this code does not recognise: the English reason is shown then.
 */
export function unsentReasonKey(
  reason: string,
): { key: 'newer' | 'migration' | 'refused'; detail: string } | null {
  if (reason.startsWith('they were saved by a newer version')) return { key: 'newer', detail: '' };
  const quoted =
    /^(they could not be brought up to date|the board did not accept them) \((.*)\)$/s.exec(reason);
  if (!quoted) return null;
  return { key: quoted[1]!.startsWith('they') ? 'migration' : 'refused', detail: quoted[2]! };
}
