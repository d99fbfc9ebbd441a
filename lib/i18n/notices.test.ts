/**
 * Every refusal kind the server can send and every reset the client reports has words in both
 * catalogs, and a notice is shown in the reader's language by its kind, with the server's English
 * words kept for English readers and for kinds this code does not know.
 */
import { describe, expect, it } from 'vitest';
import { REFUSAL_KINDS } from '../board/refusal';
import { RESET_WORDS } from '../client/yjsNotices';
import en from './messages/en.json';
import ur from './messages/ur.json';
import { storedCopyVerdict } from '../client/storedCopy';
import { RESET_KEYS, noticeKey, noticeText, unsentReasonKey } from './notices';

type Tree = { [key: string]: string | Tree };
function lookup(catalog: Tree, path: string): string | undefined {
  let node: string | Tree | undefined = catalog;
  for (const part of path.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

describe('server notices in the catalogs', () => {
  it('have words for every refusal kind in both languages', () => {
    for (const kind of REFUSAL_KINDS) {
      const key = noticeKey({ message: 'x', refusal: kind });
      expect(key).toBe(`refusal.${kind}`);
      expect(lookup(en, `notice.${key}`), `en notice.${key}`).toBeTruthy();
      expect(lookup(ur, `notice.${key}`), `ur notice.${key}`).toMatch(/[\u0600-\u06FF]/);
    }
  });

  it('have words for every reset the client reports', () => {
    expect(Object.keys(RESET_KEYS).sort()).toEqual(Object.keys(RESET_WORDS).sort());
    for (const [code, words] of Object.entries(RESET_WORDS)) {
      const key = noticeKey({ message: words!, reset: Number(code) });
      expect(key).not.toBeNull();
      // The English catalog says what the client said before it had a catalog.
      expect(lookup(en, `notice.${key}`)).toBe(words);
      expect(lookup(ur, `notice.${key}`), `ur notice.${key}`).toMatch(/[\u0600-\u06FF]/);
    }
  });
});

describe('noticeText', () => {
  const urdu = (key: string) => lookup(ur, `notice.${key}`)!;
  const locked = {
    message: 'Freelancer conversion rate is locked by Maria. Your change was undone.',
    refusal: 'locked',
  };

  it('keeps the server’s specific English words for English readers', () => {
    expect(noticeText(locked, 'en', urdu)).toBe(locked.message);
  });

  it('says a known kind in Urdu', () => {
    expect(noticeText(locked, 'ur', urdu)).toBe(ur.notice.refusal.locked);
    expect(noticeText({ message: 'reset', reset: 4429 }, 'ur', urdu)).toBe(
      ur.notice.reset.rateLimited,
    );
  });

  it('falls back to the server’s words for a kind it does not know', () => {
    const notice = { message: 'Something new went wrong.', refusal: 'brandNew' };
    expect(noticeText(notice, 'ur', urdu)).toBe(notice.message);
    expect(noticeText({ message: 'closed', reset: 1000 }, 'ur', urdu)).toBe('closed');
  });
});

describe('unsentReasonKey', () => {
  it('recognises every reason storedCopyVerdict gives', () => {
    const base = { holdsBoard: true, schemaVersion: 1, codeSchemaVersion: 1 };
    const reasonOf = (facts: Parameters<typeof storedCopyVerdict>[0]) => {
      const v = storedCopyVerdict(facts);
      return v.action === 'offerDownload' ? v.reason : '';
    };
    expect(
      unsentReasonKey(reasonOf({ ...base, schemaVersion: 2, migrationError: null, refusal: null })),
    ).toEqual({ key: 'newer', detail: '' });
    expect(
      unsentReasonKey(reasonOf({ ...base, migrationError: 'boom (x)', refusal: null })),
    ).toEqual({ key: 'migration', detail: 'boom (x)' });
    expect(
      unsentReasonKey(reasonOf({ ...base, migrationError: null, refusal: 'Growth is locked.' })),
    ).toEqual({ key: 'refused', detail: 'Growth is locked' });
    expect(unsentReasonKey('some other words')).toBeNull();
  });

  it('has words for each reason in both languages', () => {
    for (const key of ['newer', 'migration', 'refused'])
      for (const catalog of [en, ur]) expect(lookup(catalog, `unsent.reason.${key}`)).toBeTruthy();
  });
});
