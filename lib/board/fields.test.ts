/**
 * The declarative field rules (META_FIELDS, SCENARIO_FIELDS, storedBandSchema) and the checks
 * built on them: each rule that used to be implicit in hand-written checks, at its limit.
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ID_MAX, NOTES_MAX, SCENARIO_NAME_MAX, TITLE_MAX } from './limits';
import { SCHEMA_VERSION } from './schemaVersion';
import { META_FIELDS } from './meta';
import { SCENARIO_FIELDS } from './scenarios';
import { bandSchema, storedBandSchema } from './bands';
import { checkMeta } from './validateMeta';
import { invariantViolations } from './invariants';
import { initBoard } from './boardState';
import { ABSENT, SERVER_ACTOR, judge, type Actor } from './refusal';
import { defineRoots, metaOf } from './layout';

const ok = (rule: { schema: v.GenericSchema }, value: unknown) =>
  v.safeParse(rule.schema, value).success;
const editor: Actor = {
  role: 'editor',
  participant: { id: 'p1', name: 'Amina', color: '#0e7490' },
};
const moderator: Actor = { role: 'moderator', participant: null };

describe('META_FIELDS', () => {
  it('a title is 1 to TITLE_MAX characters and not only spaces', () => {
    expect(ok(META_FIELDS.title!, 'x'.repeat(TITLE_MAX))).toBe(true);
    expect(ok(META_FIELDS.title!, 'x'.repeat(TITLE_MAX + 1))).toBe(false);
    expect(ok(META_FIELDS.title!, '   ')).toBe(false);
    expect(META_FIELDS.title!.message).toBe(`must be text of 1 to ${TITLE_MAX} characters`);
  });

  it('a description is up to NOTES_MAX characters; a model id up to ID_MAX', () => {
    expect(ok(META_FIELDS.description!, 'x'.repeat(NOTES_MAX))).toBe(true);
    expect(ok(META_FIELDS.description!, 'x'.repeat(NOTES_MAX + 1))).toBe(false);
    expect(ok(META_FIELDS.modelId!, 'm'.repeat(ID_MAX))).toBe(true);
    expect(ok(META_FIELDS.modelId!, 'm'.repeat(ID_MAX + 1))).toBe(false);
  });

  it('versions are whole numbers; the schema version at most the one this code knows', () => {
    expect(ok(META_FIELDS.modelVersion!, 2)).toBe(true);
    expect(ok(META_FIELDS.modelVersion!, 1.5)).toBe(false);
    expect(ok(META_FIELDS.modelVersion!, 0)).toBe(false);
    expect(ok(META_FIELDS.schemaVersion!, SCHEMA_VERSION)).toBe(true);
    expect(ok(META_FIELDS.schemaVersion!, SCHEMA_VERSION + 1)).toBe(false);
    expect(ok(META_FIELDS.createdAt!, Number.POSITIVE_INFINITY)).toBe(false);
  });

  it('says who writes each field, and checkMeta refuses everyone else in those words', () => {
    const at = (actor: Actor) => judge('meta.x', actor);
    expect(checkMeta('frozen', false, true, at(editor))?.message).toBe(
      'Only the moderator can change whether the board is frozen.',
    );
    expect(checkMeta('frozen', false, true, at(moderator))).toBeNull();
    expect(checkMeta('schemaVersion', 1, 1, at(moderator))?.message).toBe(
      "The board's schema version is written by the server only.",
    );
    expect(checkMeta('schemaVersion', 1, SCHEMA_VERSION + 1, at(SERVER_ACTOR))?.kind).toBe(
      'invalid',
    );
    expect(checkMeta('title', 'a', 'b', at(editor))).toBeNull();
    expect(checkMeta('nonsense', ABSENT, 1, at(SERVER_ACTOR))?.message).toBe('unknown field');
  });

  it('a required field cannot be removed, an optional one can', () => {
    const j = judge('meta.x', moderator);
    expect(checkMeta('title', 'a', ABSENT, j)?.message).toBe('cannot be removed');
    expect(checkMeta('description', 'a', ABSENT, j)).toBeNull();
    expect(checkMeta('frozen', true, ABSENT, j)).toBeNull();
  });

  it('the invariants require exactly the fields not declared optional', () => {
    const doc = new Y.Doc();
    defineRoots(doc);
    initBoard(doc, { title: 'T' });
    expect(invariantViolations(doc)).toEqual([]);
    metaOf(doc).delete('modelId');
    metaOf(doc).delete('description');
    expect(invariantViolations(doc).map((v) => v.path)).toEqual(['meta.modelId']);
  });
});

describe('SCENARIO_FIELDS', () => {
  it('a name is up to SCENARIO_NAME_MAX characters; notes up to NOTES_MAX', () => {
    expect(ok(SCENARIO_FIELDS.name!, 'n'.repeat(SCENARIO_NAME_MAX))).toBe(true);
    expect(ok(SCENARIO_FIELDS.name!, 'n'.repeat(SCENARIO_NAME_MAX + 1))).toBe(false);
    expect(ok(SCENARIO_FIELDS.notes!, 'n'.repeat(NOTES_MAX + 1))).toBe(false);
  });

  it('a colour is #rrggbb; values are a Yjs map, not a plain object', () => {
    expect(ok(SCENARIO_FIELDS.color!, '#2563eb')).toBe(true);
    expect(ok(SCENARIO_FIELDS.color!, '#abc')).toBe(false);
    expect(ok(SCENARIO_FIELDS.color!, 'red')).toBe(false);
    expect(ok(SCENARIO_FIELDS.values!, new Y.Map())).toBe(true);
    expect(ok(SCENARIO_FIELDS.values!, { conversionRate: 5 })).toBe(false);
  });
});

describe('bands', () => {
  it('a write must leave low <= high; reading tolerates either order', () => {
    expect(v.safeParse(storedBandSchema, { low: 1, high: 2 }).success).toBe(true);
    expect(v.safeParse(storedBandSchema, { low: 2, high: 1 }).success).toBe(false);
    expect(v.safeParse(bandSchema, { low: 2, high: 1 }).success).toBe(true);
  });
});
