/**
 * The board's default language (meta.defaultLocale): typed on read, and on write checked like
 * the other moderator-owned meta fields: only a moderator sets it, only to a language the board
 * speaks, and a board without it reads as English.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { initBoard } from './boardState';
import { readMeta, setDefaultLocale } from './meta';
import { checkTransaction } from './validate';
import type { Actor } from './refusal';

const person = { id: 'pabcdefghijklmno', name: 'Amina', color: '#0b5cad' };
const MODERATOR: Actor = { role: 'moderator', participant: person };
const EDITOR: Actor = { role: 'editor', participant: person };

/** Apply `write` to a copy of a fresh board as `actor`; the validator's refusal, or null. */
function verdict(actor: Actor, write: (doc: Y.Doc) => void) {
  const truth = new Y.Doc();
  initBoard(truth, { title: 'Languages' });
  const probe = new Y.Doc();
  Y.applyUpdate(probe, Y.encodeStateAsUpdate(truth));
  let refusal: ReturnType<typeof checkTransaction>['refusal'] | undefined;
  probe.on('afterTransaction', (tr: Y.Transaction) => {
    refusal = checkTransaction(probe, truth, tr, actor).refusal;
  });
  write(probe);
  expect(refusal).not.toBeUndefined();
  return { refusal, probe };
}

describe('meta.defaultLocale', () => {
  it('reads as English on a board that never set it', () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 'Languages' });
    expect(readMeta(doc).defaultLocale).toBe('en');
  });

  it('a moderator sets Urdu; it reads back typed', () => {
    const { refusal, probe } = verdict(MODERATOR, (doc) => setDefaultLocale(doc, 'ur'));
    expect(refusal).toBeNull();
    expect(readMeta(probe).defaultLocale).toBe('ur');
  });

  it('an editor may not set it', () => {
    const { refusal } = verdict(EDITOR, (doc) => setDefaultLocale(doc, 'ur'));
    expect(refusal?.message).toMatch(/default language/);
  });

  it('a language the board does not speak is refused, and reads as English', () => {
    const { refusal, probe } = verdict(MODERATOR, (doc) =>
      doc.getMap('meta').set('defaultLocale', 'fr'),
    );
    expect(refusal?.message).toMatch(/must be one of en, ur/);
    expect(readMeta(probe).defaultLocale).toBe('en');
  });
});
