/**
 * Which language a page is rendered in. Pure, so the rule is tested without a server:
 * the participant's own choice (cookie) wins; otherwise the browser's languages
 * (Accept-Language, so a first visit from an Urdu phone opens in Urdu); otherwise English.
 */
import Negotiator from 'negotiator';
import { DEFAULT_LOCALE, LOCALES, isLocale, type Locale } from './locales';

export function resolveLocale(input: {
  cookie?: string | null;
  acceptLanguage?: string | null;
}): Locale {
  if (isLocale(input.cookie)) return input.cookie;
  if (input.acceptLanguage) {
    const negotiator = new Negotiator({ headers: { 'accept-language': input.acceptLanguage } });
    const best = negotiator.language([...LOCALES]);
    if (isLocale(best)) return best;
  }
  return DEFAULT_LOCALE;
}
