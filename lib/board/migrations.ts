/**
 * Migrations of the board document: an ordered list of pure functions on a Y.Doc, each taking a
 * document from one schema version to the next. The server runs the pending ones when it loads a
 * board and stores the result once, as a normal update judged like any other write (a
 * server-actor change). Every migration has a fixture test: a board saved before it existed
 * (test/fixtures/) migrates and reads the same numbers. Append new migrations; never edit old ones.
 */
import type * as Y from 'yjs';
import { MODEL_ID } from '../model';
import { ROOT } from './layout';
import { SCHEMA_VERSION } from './schemaVersion';

export { SCHEMA_VERSION } from './schemaVersion';

export interface DocumentMigration {
  /** The schema version the document has after this migration. */
  to: number;
  /** What it changes and why, in a sentence. */
  description: string;
  /** Pure: reads and writes only `doc`, deterministic, safe to run on any version before `to`. */
  migrate: (doc: Y.Doc) => void;
}

export const DOCUMENT_MIGRATIONS: readonly DocumentMigration[] = [
  {
    to: 1,
    description:
      'Record the schema version, and name the model explicitly: a board saved before versions existed was made with model v1, and must not be read with a newer model by default.',
    migrate(doc) {
      const meta = doc.getMap<unknown>(ROOT.meta);
      if (typeof meta.get('modelId') !== 'string') meta.set('modelId', MODEL_ID);
      if (!Number.isInteger(meta.get('modelVersion'))) meta.set('modelVersion', 1);
      meta.set('schemaVersion', 1);
    },
  },
];

/** The document's schema version: 0 for a board saved before versions existed. */
export function schemaVersionOf(doc: Y.Doc): number {
  const v = doc.getMap<unknown>(ROOT.meta).get('schemaVersion');
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0;
}

/** The migrations `doc` still needs, in order (none for a current or newer document). */
export function pendingMigrations(doc: Y.Doc): DocumentMigration[] {
  const from = schemaVersionOf(doc);
  return DOCUMENT_MIGRATIONS.filter((m) => m.to > from);
}

/**
 * Run the pending migrations on `doc` in one transaction (so they are one update). Returns the
 * versions before and after; `from === to` means nothing was written.
 */
export function migrateDocument(doc: Y.Doc, origin?: unknown): { from: number; to: number } {
  const from = schemaVersionOf(doc);
  const pending = pendingMigrations(doc);
  if (pending.length > 0) doc.transact(() => pending.forEach((m) => m.migrate(doc)), origin);
  return { from, to: schemaVersionOf(doc) };
}

// Kept in step by hand: a migration list that does not end at SCHEMA_VERSION is a bug.
if (DOCUMENT_MIGRATIONS.at(-1)?.to !== SCHEMA_VERSION)
  throw new Error('lib/board/migrations.ts: the last migration must reach SCHEMA_VERSION');
