/**
 * The two catalogs stay complete and translated: every English key has an Urdu message and vice
 * versa, none is empty, no Urdu message is the English one left in place (except the few that
 * are the same in both languages on purpose), and both parse as ICU messages with the same
 * arguments, so a placeholder is never lost in translation.
 */
import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import en from './messages/en.json';
import ur from './messages/ur.json';
import { API_ERROR_CODES, SESSION_REFUSALS } from '../protocol';

/** Keys whose Urdu text is the English one on purpose (symbols, units, names). */
const SAME_IN_BOTH = new Set<string>(['unit.percent', 'unit.usdBillions']);

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** The names of a message's arguments and rich-text tags, e.g. {count}, <when>. */
function argumentsOf(message: string, locale: string): string[] {
  const names = new Set<string>();
  const walk = (elements: unknown[]) => {
    for (const el of elements as {
      type: number;
      value?: string;
      options?: object;
      children?: unknown[];
    }[]) {
      if (el.value !== undefined && el.type !== 0) names.add(el.value);
      if (el.children) walk(el.children);
      if (el.options)
        for (const option of Object.values(el.options) as { value: unknown[] }[])
          walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst());
  return [...names].sort();
}

const english = flatten(en);
const urdu = flatten(ur);

describe('message catalogs', () => {
  it('have the same keys', () => {
    expect([...urdu.keys()].filter((k) => !english.has(k))).toEqual([]);
    expect([...english.keys()].filter((k) => !urdu.has(k))).toEqual([]);
  });

  it('have no empty messages', () => {
    const empty = [...english, ...urdu].filter(([, v]) => v.trim() === '').map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it('translate every message into Urdu', () => {
    const untranslated = [...urdu]
      .filter(([k, v]) => v === english.get(k) && !SAME_IN_BOTH.has(k))
      .map(([k]) => k);
    expect(untranslated).toEqual([]);
  });

  it('write Urdu in Urdu script', () => {
    // Every Urdu message that is more than a placeholder contains Arabic-script letters.
    const latinOnly = [...urdu]
      .filter(([k, v]) => !SAME_IN_BOTH.has(k) && !/[\u0600-\u06FF]/.test(v))
      .map(([k]) => k);
    expect(latinOnly).toEqual([]);
  });

  it('keep the same ICU arguments in both languages', () => {
    const differing = [...english]
      .filter(([k, v]) => {
        const u = urdu.get(k);
        return u !== undefined && argumentsOf(v, 'en').join() !== argumentsOf(u, 'ur').join();
      })
      .map(([k]) => k);
    expect(differing).toEqual([]);
  });

  it('pluralise counts in both languages', () => {
    const isPlural = (v: string) => /\{\w+, plural,/.test(v);
    expect([...english.values()].some(isPlural)).toBe(true);
    const lost = [...english]
      .filter(([k, v]) => isPlural(v) && !isPlural(urdu.get(k) ?? ''))
      .map(([k]) => k);
    expect(lost).toEqual([]);
  });

  it('say every live-session refusal the server can answer with', () => {
    // A refusal reaches the reader through its code (lib/i18n/refusals.ts), never the English.
    const codes = Object.keys(SESSION_REFUSALS).sort();
    expect(Object.keys(en.sessionRefusal).sort()).toEqual(codes);
    expect(Object.keys(ur.sessionRefusal).sort()).toEqual(codes);
  });

  it('say every API error the server or the browser can give', () => {
    // An API error reaches a reader of another language through its code (lib/i18n/apiErrors.ts).
    const codes = [...API_ERROR_CODES].sort();
    expect(Object.keys(en.apiError).sort()).toEqual(codes);
    expect(Object.keys(ur.apiError).sort()).toEqual(codes);
  });
});
