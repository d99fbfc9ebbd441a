'use client';

import { useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { readLog, type LogEntry } from '@/lib/board/decisionLog';
import { useDocValue } from '@/lib/client/history';
import { ANNOUNCE_EVERY_MS, announcementFor } from '@/lib/client/announcements';

/**
 * Tells screen-reader users, politely and at most every few seconds, what other people changed
 * ("Ayesha set freelancer conversion rate to 5%"). Invisible; changes already on the board when
 * the page opened are not told.
 */
export function ChangeAnnouncer({ doc, selfId }: { doc: Y.Doc; selfId: string | null }) {
  const log = useDocValue(doc, readLog);
  const [message, setMessage] = useState('');
  /** The log as last seen (entry id -> its value then), so only what changed since is told. */
  const seen = useRef<Map<string, number> | null>(null);
  const pending = useRef<LogEntry[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastAt = useRef(0);

  useEffect(() => {
    const before = seen.current;
    seen.current = new Map(log.map((e) => [e.id, e.to]));
    if (before === null) return; // the page just opened: history is not news
    const changed = log.filter((e) => before.get(e.id) !== e.to);
    if (changed.length === 0) return;
    pending.current.push(...changed);
    const tell = () => {
      timer.current = null;
      lastAt.current = Date.now();
      const text = announcementFor(pending.current, selfId);
      pending.current = [];
      if (text) setMessage(text);
    };
    if (timer.current) return; // already due: it will include these
    const wait = Math.max(0, lastAt.current + ANNOUNCE_EVERY_MS - Date.now());
    timer.current = setTimeout(tell, wait);
  }, [log, selfId]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return (
    <p role="status" aria-live="polite" className="sr-only" data-testid="change-announcer">
      {message}
    </p>
  );
}
