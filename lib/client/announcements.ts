/**
 * What a screen reader hears about other people's changes (issue 11: "Ayesha set conversion rate
 * to 5%"). Pure: the component (components/board/ChangeAnnouncer.tsx) decides when; this decides
 * what. A drag updates one log entry many times, so entries are keyed by id and only their latest
 * value is told; several changes at once become one sentence with a count, never a backlog.
 */
import type { LogEntry } from '@/lib/board/decisionLog';
import { ASSUMPTIONS, isAssumptionId } from '@/lib/model';
import { formatValue } from '@/lib/format';

/** At most one announcement this often: polite, not a running commentary. */
export const ANNOUNCE_EVERY_MS = 3000;

/** One change as a sentence: "Ayesha set Conversion rate to 5.0%". */
export function describeChange(entry: LogEntry): string | null {
  if (!isAssumptionId(entry.assumptionId)) return null;
  const spec = ASSUMPTIONS[entry.assumptionId];
  const who = entry.by.name.trim() || 'Someone';
  const verb = entry.revertOf ? 'put back' : 'set';
  return `${who} ${verb} ${inSentence(spec.label)} to ${formatValue(spec, entry.to)}`;
}

/** A label inside a sentence: "Freelancer conversion rate" -> "freelancer …", "ICT …" kept. */
const inSentence = (label: string) =>
  /^\p{Lu}\p{Ll}/u.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;

/**
 * The changes since the last announcement (other people's only), as one sentence: the newest
 * told in full, the rest counted. Null when there is nothing to tell.
 */
export function announcementFor(
  changes: readonly LogEntry[],
  selfId: string | null,
): string | null {
  const latestById = new Map<string, LogEntry>();
  for (const e of changes) {
    if (selfId !== null && e.by.id === selfId) continue;
    latestById.set(e.id, e);
  }
  const told = [...latestById.values()]
    .sort((a, b) => a.at - b.at)
    .map(describeChange)
    .filter((s): s is string => s !== null);
  if (told.length === 0) return null;
  const newest = told[told.length - 1]!;
  const others = told.length - 1;
  return others === 0 ? newest : `${newest}, and ${others} other change${others === 1 ? '' : 's'}`;
}
