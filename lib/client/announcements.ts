/**
 * What a screen reader hears about other people's changes (issue 11: "Ayesha set conversion rate
 * to 5%"). Pure: the component (components/board/ChangeAnnouncer.tsx) decides when and supplies
 * the words in the page's language; this decides what. A drag updates one log entry many times,
 * so entries are keyed by id and only their latest value is told; several changes at once become
 * one sentence with a count, never a backlog.
 */
import type { LogEntry } from '@/lib/board/decisionLog';
import { ASSUMPTIONS, isAssumptionId, type AssumptionId } from '@/lib/model';
import { formatValue } from '@/lib/format';

/** At most one announcement this often: polite, not a running commentary. */
export const ANNOUNCE_EVERY_MS = 3000;

/** The sentences, in the page's language (English defaults below, for tests and the server). */
export interface AnnouncementWords {
  set(who: string, what: AssumptionId, value: number): string;
  putBack(who: string, what: AssumptionId, value: number): string;
  andOthers(sentence: string, others: number): string;
  someone: string;
}

/** A label inside a sentence: "Freelancer conversion rate" -> "freelancer …", "ICT …" kept. */
export const inSentence = (label: string) =>
  /^\p{Lu}\p{Ll}/u.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;

export const ENGLISH_WORDS: AnnouncementWords = {
  set: (who, what, v) =>
    `${who} set ${inSentence(ASSUMPTIONS[what].label)} to ${formatValue(ASSUMPTIONS[what], v)}`,
  putBack: (who, what, v) =>
    `${who} put back ${inSentence(ASSUMPTIONS[what].label)} to ${formatValue(ASSUMPTIONS[what], v)}`,
  andOthers: (sentence, n) => `${sentence}, and ${n} other change${n === 1 ? '' : 's'}`,
  someone: 'Someone',
};

/** One change as a sentence: "Ayesha set freelancer conversion rate to 5%". */
export function describeChange(entry: LogEntry, words = ENGLISH_WORDS): string | null {
  if (!isAssumptionId(entry.assumptionId)) return null;
  const who = entry.by.name.trim() || words.someone;
  return entry.revertOf
    ? words.putBack(who, entry.assumptionId, entry.to)
    : words.set(who, entry.assumptionId, entry.to);
}

/**
 * The changes since the last announcement (other people's only), as one sentence: the newest
 * told in full, the rest counted. Null when there is nothing to tell.
 */
export function announcementFor(
  changes: readonly LogEntry[],
  selfId: string | null,
  words = ENGLISH_WORDS,
): string | null {
  const latestById = new Map<string, LogEntry>();
  for (const e of changes) {
    if (selfId !== null && e.by.id === selfId) continue;
    latestById.set(e.id, e);
  }
  const told = [...latestById.values()]
    .sort((a, b) => a.at - b.at)
    .map((e) => describeChange(e, words))
    .filter((s): s is string => s !== null);
  if (told.length === 0) return null;
  const newest = told[told.length - 1]!;
  return told.length === 1 ? newest : words.andOthers(newest, told.length - 1);
}
