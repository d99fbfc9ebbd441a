import type { Locale } from './locales';
import type en from './messages/en.json';

export type Messages = typeof en;

/**
 * One catalog, by dynamic import: the bundler makes one chunk per language, so a page (server
 * or a client that switches, like the projector) loads only the language it shows.
 */
export async function loadMessages(locale: Locale): Promise<Messages> {
  const mod =
    locale === 'ur' ? await import('./messages/ur.json') : await import('./messages/en.json');
  return mod.default;
}
