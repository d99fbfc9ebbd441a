'use client';

import { useEffect, useMemo, useState } from 'react';
import { useTranslations } from 'next-intl';
import { readDecisions, pollResultText } from '@/lib/board/decision';
import { readClosedPolls } from '@/lib/board/polls';
import { readLocks } from '@/lib/board/locks';
import { isAssumptionId } from '@/lib/model';
import {
  listVersions,
  onVersionsChanged,
  useDocValue,
  type VersionRecord,
} from '@/lib/client/history';
import { useBoardContext } from '@/components/board/BoardContext';
import { useAssumptionText } from '@/components/board/useAssumptionText';

export interface BoardEvent {
  key: string;
  kind: 'decision' | 'poll' | 'lock' | 'version';
  at: number;
  text: string;
}

/**
 * What happened to the board besides value changes, newest first: decisions put on record,
 * polls closed (with their result), locks in force, saved versions and their renames and
 * archive changes. In the page's language; names, questions and reasons as people wrote them.
 */
export function useBoardEvents(): BoardEvent[] {
  const { boardId, access, session } = useBoardContext();
  const t = useTranslations('history.event');
  const { label } = useAssumptionText();
  const decisions = useDocValue(session.doc, readDecisions);
  const polls = useDocValue(session.doc, readClosedPolls);
  const locks = useDocValue(session.doc, readLocks);
  const [versions, setVersions] = useState<VersionRecord[]>([]);
  const [versionsSeen, setVersionsSeen] = useState(0);
  useEffect(() => onVersionsChanged(() => setVersionsSeen((n) => n + 1)), []);
  useEffect(() => {
    let live = true;
    listVersions(boardId, access.token).then(
      (v) => live && setVersions(v),
      () => undefined, // the Versions card above says why versions are missing
    );
    return () => {
      live = false;
    };
  }, [boardId, access.token, decisions.length, polls.length, versionsSeen]);
  return useMemo(() => {
    const out: BoardEvent[] = [];
    for (const d of decisions)
      out.push({
        key: `d-${d.id}`,
        kind: 'decision',
        at: d.at,
        text: t('decision', { name: d.by.name, scenario: d.scenarioName }),
      });
    for (const p of polls)
      out.push({
        key: `p-${p.id}`,
        kind: 'poll',
        at: p.closedAt,
        text: t('poll', { question: p.question, result: pollResultText(p) }),
      });
    for (const [id, lock] of Object.entries(locks))
      if (lock && isAssumptionId(id))
        out.push({
          key: `l-${id}`,
          kind: 'lock',
          at: lock.at,
          text: lock.reason
            ? t('lockWhy', { name: lock.by, label: label(id), reason: lock.reason })
            : t('lock', { name: lock.by, label: label(id) }),
        });
    for (const v of versions) {
      // Saved under its first name; each rename and archive change after that is its own entry.
      const savedAs = v.events.find((e) => e.kind === 'renamed')?.from ?? v.name;
      out.push({
        key: `v-${v.id}`,
        kind: 'version',
        at: v.createdAt,
        text: t('versionSaved', { name: savedAs, author: v.author }),
      });
      v.events.forEach((e, i) =>
        out.push({
          key: `v-${v.id}-${i}`,
          kind: 'version',
          at: e.at,
          text:
            e.kind === 'renamed'
              ? t('versionRenamed', { name: e.by, from: e.from, to: e.to })
              : t(e.kind === 'archived' ? 'versionArchived' : 'versionRestored', {
                  name: e.by,
                  version: nameAt(v, e.at),
                }),
        }),
      );
    }
    return out.sort((a, b) => b.at - a.at);
  }, [decisions, polls, locks, versions, t, label]);
}

/** A version's name at a moment (its renames are in order). */
function nameAt(v: VersionRecord, at: number): string {
  let name = v.events.find((e) => e.kind === 'renamed')?.from ?? v.name;
  for (const e of v.events) if (e.kind === 'renamed' && e.at <= at) name = e.to;
  return name;
}
