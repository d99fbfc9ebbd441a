/**
 * next-intl's request configuration (named in next.config.js): the locale of this request and
 * its messages. Only the active locale's catalog is loaded, so a page ships one language.
 * No locale in the URL: boards are shared by link and join code, and one link must open in each
 * participant's own language.
 */
import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { LOCALE_COOKIE } from './locales';
import { loadMessages } from './messages';
import { resolveLocale } from './resolve';

export default getRequestConfig(async () => {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  const locale = resolveLocale({
    cookie: cookieStore.get(LOCALE_COOKIE)?.value,
    acceptLanguage: headerList.get('accept-language'),
  });
  return {
    locale,
    messages: await loadMessages(locale),
    // Workshops are held in Pakistan: times read in its time zone, on the server and in browsers.
    timeZone: 'Asia/Karachi',
  };
});
