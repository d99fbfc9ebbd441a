'use client';

import { useEffect, useMemo, useState } from 'react';
import { readDecisions, pollResultText } from '@/lib/board/decision';
import { readClosedPolls, readLocks } from '@/lib/board/schema';
import { ASSUMPTIONS, isAssumptionId } from '@/lib/model';
import { listVersions, useDocValue, type VersionRecord } from '@/lib/client/history';
import { useBoardContext } from '@/components/board/BoardContext';

export interface BoardEvent {
  key: string;
  kind: 'decision' | 'poll' | 'lock' | 'version';
  at: number;
  text: string;
}

/**
 * What happened to the board besides value changes, newest first: decisions put on record,
 * polls closed (with their result), locks in force and saved versions.
 */
export function useBoardEvents(): BoardEvent[] {
  const { boardId, access, session } = useBoardContext();
  const decisions = useDocValue(session.doc, readDecisions);
  const polls = useDocValue(session.doc, readClosedPolls);
  const locks = useDocValue(session.doc, readLocks);
  const [versions, setVersions] = useState<VersionRecord[]>([]);
  useEffect(() => {
    let live = true;
    listVersions(boardId, access.token).then(
      (v) => live && setVersions(v),
      () => undefined, // the Versions card above says why versions are missing
    );
    return () => {
      live = false;
    };
  }, [boardId, access.token, decisions.length, polls.length]);
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
    for (const v of versions)
      out.push({
        key: `v-${v.id}`,
        kind: 'version',
        at: v.createdAt,
        text: `Version saved: “${v.name}” by ${v.author}`,
      });
    return out.sort((a, b) => b.at - a.at);
  }, [decisions, polls, locks, versions]);
}
