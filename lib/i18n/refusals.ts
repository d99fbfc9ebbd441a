'use client';
/**
 * A refused live-session request in the reader's language: the server answers with a code
 * (lib/protocol.ts SESSION_REFUSALS) and the English text; the code picks the message here.
 */
import { useTranslations } from 'next-intl';
import { QA_ANSWERS_PER_PARTICIPANT, type AckResult } from '../protocol';

export function useRefusalText(): (refused: AckResult & { ok: false }) => string {
  const t = useTranslations('sessionRefusal');
  // A code this build does not know (a newer server) shows the server's English text.
  return (refused) =>
    t.has(refused.code) ? t(refused.code, { count: QA_ANSWERS_PER_PARTICIPANT }) : refused.error;
}
