'use client';
/**
 * A failed API call, or a connection the server refused, in the reader's language. The server
 * answers with a code (lib/protocol.ts API_ERROR_CODES) and an English sentence. An English
 * reader keeps the sentence, which is more specific ("name must be 1 to 40 characters"); another
 * reader gets the catalog's words for the code (`apiError.*`). What the browser says itself (no
 * answer, a server error) always comes from the catalog, and an error without a code (not an API
 * answer) shows `fallback`, the caller's own words for what failed.
 */
import { useCallback } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { JOIN_CODE_LENGTH, type ApiErrorCode } from '../protocol';
import { ApiRequestError } from '../client/apiClient';
import { DEFAULT_LOCALE } from './locales';

/** Codes whose catalog words beat the server's in English too (they are terse or ours). */
const ALWAYS_FROM_CATALOG = new Set<ApiErrorCode>(['serverError', 'unreachable', 'timeout']);

/** The words for a code and the server's English sentence (`codedText(code, sentence)`). */
export function useCodedText(): (
  code: ApiErrorCode,
  sentence: string,
  detail?: { refusal?: string | null; retryAfterMs?: number | null },
) => string {
  const t = useTranslations('apiError');
  const english = useLocale() === DEFAULT_LOCALE;
  return useCallback(
    (code, sentence, detail = {}) =>
      english && !ALWAYS_FROM_CATALOG.has(code)
        ? sentence
        : t(code, {
            kind: detail.refusal ?? 'other',
            seconds: Math.ceil((detail.retryAfterMs ?? 0) / 1000),
            length: JOIN_CODE_LENGTH,
          }),
    [t, english],
  );
}

export function useApiErrorText(): (err: unknown, fallback: string) => string {
  const codedText = useCodedText();
  const english = useLocale() === DEFAULT_LOCALE;
  // Kept while the language is, so effects that report errors need not rerun.
  return useCallback(
    (err, fallback) => {
      if (!(err instanceof ApiRequestError))
        return english && err instanceof Error ? err.message : fallback;
      if (err.code === null) return english ? err.message : fallback;
      return codedText(err.code, err.message, err);
    },
    [codedText, english],
  );
}
