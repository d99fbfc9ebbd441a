'use client';

import { useEffect, useMemo, useState } from 'react';
import { readDecisions, pollResultText } from '@/lib/board/decision';
import { readClosedPolls } from '@/lib/board/polls';
import { readLocks } from '@/lib/board/locks';
import { ASSUMPTIONS, isAssumptionId } from '@/lib/model';
import {
  listVersions,
  onVersionsChanged,
  useDocValue,
  type VersionRecord,
} from '@/lib/client/history';
import { useBoardContext } from '@/components/board/BoardContext';

export interface BoardEvent {
  key: string;
  kind: 'decision' | 'poll' | 'lock' | 'version';
  at: number;
  text: string;
}

/**
 * What happened to the board besides value changes, newest first: decisions put on record,
 * polls closed (with their result), locks in force, saved versions and their renames and
 * archive changes.
 */
export function useBoardEvents(): BoardEvent[] {
  const { boardId, access, session } = useBoardContext();
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
        text: `${d.by.name} put the decision on record: ${d.scenarioName}`,
      });
    for (const p of polls)
      out.push({
        key: `p-${p.id}`,
        kind: 'poll',
        at: p.closedAt,
        text: `Poll closed: ${p.question} ${pollResultText(p)}`,
      });
    for (const [id, lock] of Object.entries(locks))
      if (lock && isAssumptionId(id))
        out.push({
          key: `l-${id}`,
          kind: 'lock',
          at: lock.at,
          text: `${lock.by} locked ${ASSUMPTIONS[id].label}${lock.reason ? `: ${lock.reason}` : ''}`,
        });
    for (const v of versions) {
      // Saved under its first name; each rename and archive change after that is its own entry.
      const savedAs = v.events.find((e) => e.kind === 'renamed')?.from ?? v.name;
      out.push({
        key: `v-${v.id}`,
        kind: 'version',
        at: v.createdAt,
        text: `Version saved: “${savedAs}” by ${v.author}`,
      });
      v.events.forEach((e, i) =>
        out.push({
          key: `v-${v.id}-${i}`,
          kind: 'version',
          at: e.at,
          text:
            e.kind === 'renamed'
              ? `${e.by} renamed version “${e.from}” to “${e.to}”`
              : `${e.by} ${e.kind === 'archived' ? 'archived' : 'put back'} version “${nameAt(v, e.at)}”`,
        }),
      );
    }
    return out.sort((a, b) => b.at - a.at);
  }, [decisions, polls, locks, versions]);
}

/** A version's name at a moment (its renames are in order). */
function nameAt(v: VersionRecord, at: number): string {
  let name = v.events.find((e) => e.kind === 'renamed')?.from ?? v.name;
  for (const e of v.events) if (e.kind === 'renamed' && e.at <= at) name = e.to;
  return name;
}
