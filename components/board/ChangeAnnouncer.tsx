'use client';

import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import type * as Y from 'yjs';
import { readLog, type LogEntry } from '@/lib/board/decisionLog';
import { ASSUMPTIONS, type AssumptionId } from '@/lib/model';
import { useDocValue } from '@/lib/client/history';
import {
  ANNOUNCE_EVERY_MS,
  announcementFor,
  inSentence,
  type AnnouncementWords,
} from '@/lib/client/announcements';
import { useAssumptionText } from './useAssumptionText';

/**
 * Tells screen-reader users, politely and at most every few seconds, what other people changed
 * ("Ayesha set freelancer conversion rate to 5%"), in the page's language. Invisible; changes
 * already on the board when the page opened are not told.
 */
function ChangeAnnouncerView({ doc, selfId }: { doc: Y.Doc; selfId: string | null }) {
  const log = useDocValue(doc, readLog);
  const t = useTranslations('announce');
  const locale = useLocale();
  const text = useAssumptionText();
  const words = useMemo<AnnouncementWords>(() => {
    const what = (id: AssumptionId) =>
      locale === 'en' ? inSentence(text.label(id)) : text.label(id);
    const parts = (who: string, id: AssumptionId, v: number) => ({
      who,
      what: what(id),
      value: text.value(ASSUMPTIONS[id], v),
    });
    return {
      set: (who, id, v) => t('set', parts(who, id, v)),
      putBack: (who, id, v) => t('putBack', parts(who, id, v)),
      andOthers: (sentence, others) => t('andOthers', { sentence, others }),
      someone: t('someone'),
    };
  }, [t, locale, text]);
  const [message, setMessage] = useState('');
  /** The log as last seen (entry id -> its value then), so only what changed since is told. */
  const seen = useRef<Map<string, number> | null>(null);
  const pending = useRef<LogEntry[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastAt = useRef(0);
  const wordsRef = useRef(words);
  useEffect(() => {
    wordsRef.current = words;
  }, [words]);

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
      const sentence = announcementFor(pending.current, selfId, wordsRef.current);
      pending.current = [];
      if (sentence) setMessage(sentence);
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

/** Memoised: the board view re-renders on every edit; this only when its own inputs change. */
export const ChangeAnnouncer = memo(ChangeAnnouncerView);
