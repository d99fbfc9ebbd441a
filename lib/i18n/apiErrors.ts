'use client';
/**
 * A failed API call in the reader's language. The server answers with a code (lib/protocol.ts
 * API_ERROR_CODES) and an English sentence. An English reader keeps the sentence, which is more
 * specific ("name must be 1 to 40 characters"); another reader gets the catalog's words for the
 * code (`apiError.*`). What the browser says itself (no answer, a server error) always comes from
 * the catalog, and an error without a code (not an API answer) shows `fallback`, the caller's
 * own words for what failed.
 */
import { useCallback } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { JOIN_CODE_LENGTH } from '../protocol';
import { ApiRequestError } from '../client/apiClient';
import { DEFAULT_LOCALE } from './locales';

/** Codes whose catalog words beat the server's in English too (they are terse or ours). */
const ALWAYS_FROM_CATALOG = new Set(['serverError', 'unreachable', 'timeout']);

export function useApiErrorText(): (err: unknown, fallback: string) => string {
  const t = useTranslations('apiError');
  const english = useLocale() === DEFAULT_LOCALE;
  // Kept while the language is, so effects that report errors need not rerun.
  return useCallback(
    (err, fallback) => {
      if (!(err instanceof ApiRequestError))
        return english && err instanceof Error ? err.message : fallback;
      const { code } = err;
      if (code === null) return english ? err.message : fallback;
      if (english && !ALWAYS_FROM_CATALOG.has(code)) return err.message;
      return t(code, {
        kind: err.refusal ?? 'other',
        seconds: Math.ceil((err.retryAfterMs ?? 0) / 1000),
        length: JOIN_CODE_LENGTH,
      });
    },
    [t, english],
  );
}
