/**
 * Moving one board between deployments, as one file:
 *
 *   npm run board -- export <boardId> <file>   the board's record (title, link epochs, join code),
 *                                              its document (scenarios, comments, decision log…:
 *                                              the stored state, merged) and every named version
 *   npm run board -- import <file>             creates it in this deployment (same id); prints a
 *                                              moderator link signed with this deployment's secret
 *
 * Both read the configuration like the server (DATA_DIR or DATABASE_URL) and work on storage
 * directly, while servers keep serving: an export reads what is stored (every acknowledged edit
 * is), an import creates a board no server has loaded. The file is JSON; an import trusts
 * nothing in it (schema-checked, the document must decode, sizes bounded). Files of version 1
 * (one link epoch for every role) still import: that epoch becomes every role's.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import * as v from 'valibot';
import { ConfigError, loadConfig } from './config';
import {
  VERSION_EVENTS_MAX,
  sameEpochs,
  versionEventsSchema,
  type BoardRecord,
  type BoardStorage,
  type LinkEpochs,
} from './storage/types';
import { SqliteStorage } from './storage/sqlite';
import { TokenService } from './auth/tokens';
import { loadOrCreateSecret } from './auth/secret';
import { newJoinCode } from './auth/joinCodes';
import { ROOT } from '../lib/board/layout';
import { readBoard } from '../lib/board/boardState';
import { BOARD_ID_PATTERN } from './collab/ids';

export const BOARD_FILE_FORMAT = 'scenario-board/board';

const base64 = v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'));
const epoch = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const boardFields = {
  id: v.pipe(v.string(), v.regex(BOARD_ID_PATTERN, 'a board id')),
  title: v.pipe(v.string(), v.maxLength(200)),
  modelId: v.pipe(v.string(), v.maxLength(100)),
  modelVersion: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  createdAt: v.pipe(v.number(), v.safeInteger()),
  updatedAt: v.pipe(v.number(), v.safeInteger()),
  joinCode: v.pipe(v.string(), v.maxLength(20)),
};
const fileFields = {
  format: v.literal(BOARD_FILE_FORMAT),
  exportedAt: v.pipe(v.number(), v.safeInteger()),
  document: base64,
  versions: v.pipe(
    v.array(
      v.strictObject({
        id: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
        name: v.pipe(v.string(), v.maxLength(200)),
        author: v.pipe(v.string(), v.maxLength(200)),
        createdAt: v.pipe(v.number(), v.safeInteger()),
        // Files from before versions could be archived or renamed have neither.
        archivedAt: v.optional(v.nullable(v.pipe(v.number(), v.safeInteger()))),
        events: v.optional(v.pipe(versionEventsSchema, v.maxLength(VERSION_EVENTS_MAX))),
        state: base64,
      }),
    ),
    v.maxLength(10_000),
  ),
};
const boardFileSchema = v.variant('version', [
  // Version 2: one link epoch per role.
  v.strictObject({
    ...fileFields,
    version: v.literal(2),
    board: v.strictObject({
      ...boardFields,
      linkEpochs: v.strictObject({ moderator: epoch, editor: epoch, viewer: epoch }),
    }),
  }),
  // Version 1 (before links were replaced per role): one epoch for every link.
  v.strictObject({
    ...fileFields,
    version: v.literal(1),
    board: v.strictObject({ ...boardFields, linkEpoch: epoch }),
  }),
]);
/** A board file as this build writes it. */
export type BoardFile = Extract<v.InferOutput<typeof boardFileSchema>, { version: 2 }>;

export class TransferError extends Error {
  override name = 'TransferError';
}

const toBase64 = (u: Uint8Array) =>
  Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('base64');
const fromBase64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** A Yjs state that decodes into a board document, else a TransferError naming `what`. */
function checkedState(encoded: string, what: string): Uint8Array {
  const state = fromBase64(encoded);
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    if (doc.store.pendingStructs || doc.store.pendingDs)
      throw new Error('it builds on changes the file does not hold');
    if (
      typeof doc.getMap(ROOT.meta).get('modelId') !== 'string' ||
      readBoard(doc).scenarios.length === 0
    )
      throw new Error('it holds no board (no model, no scenario)');
    return state;
  } catch (err) {
    throw new TransferError(`${what} is not a board document: ${(err as Error).message}`);
  } finally {
    doc.destroy();
  }
}

export async function exportBoard(storage: BoardStorage, boardId: string): Promise<BoardFile> {
  const record = await storage.getBoard(boardId);
  const stored = await storage.loadDocument(boardId);
  if (!record || !stored) throw new TransferError(`no board ${boardId} here`);
  const versions = await Promise.all(
    (await storage.listVersions(boardId)).map(async (v) => {
      const found = await storage.getVersion(boardId, v.id);
      if (!found) throw new TransferError(`version ${v.id} vanished during the export`);
      const { id, name, author, createdAt, archivedAt, events } = found.record;
      return { id, name, author, createdAt, archivedAt, events, state: toBase64(found.state) };
    }),
  );
  return {
    format: BOARD_FILE_FORMAT,
    version: 2,
    exportedAt: Date.now(),
    board: record,
    document: toBase64(Y.mergeUpdates(stored.updates)),
    // Oldest first, so they are saved in their original order.
    versions: versions.reverse(),
  };
}

/** Create the board of `file` in `storage`; returns it (its join code may be new). */
export async function importBoard(
  storage: BoardStorage,
  input: unknown,
): Promise<{
  boardId: string;
  linkEpochs: LinkEpochs;
  joinCode: string;
  joinCodeChanged: boolean;
}> {
  const parsed = v.safeParse(boardFileSchema, input);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new TransferError(`not a board file: ${v.getDotPath(issue) || 'file'}: ${issue.message}`);
  }
  const file = parsed.output;
  // A version 1 file's one link epoch becomes every role's.
  const board: BoardRecord =
    file.version === 2
      ? file.board
      : (({ linkEpoch, ...fields }) => ({ ...fields, linkEpochs: sameEpochs(linkEpoch) }))(
          file.board,
        );
  const document = checkedState(file.document, 'the document');
  const versions = file.versions.map((v) => ({
    ...v,
    bytes: checkedState(v.state, `version ${v.id}`),
  }));
  if (await storage.getBoard(file.board.id))
    throw new TransferError(`board ${file.board.id} already exists here`);
  // The join code may be taken here: then the board gets a new one.
  let joinCode = file.board.joinCode;
  if (!joinCode || (await storage.findBoardByJoinCode(joinCode))) joinCode = newJoinCode();
  await storage.createBoard({ ...board, joinCode }, document);
  for (const v of versions)
    await storage.saveVersion(
      {
        id: v.id,
        boardId: file.board.id,
        name: v.name,
        author: v.author,
        createdAt: v.createdAt,
        size: v.bytes.byteLength,
        archivedAt: v.archivedAt ?? null,
        events: v.events ?? [],
      },
      v.bytes,
    );
  return {
    boardId: file.board.id,
    linkEpochs: board.linkEpochs,
    joinCode,
    joinCodeChanged: joinCode !== file.board.joinCode,
  };
}

async function openStorage(): Promise<{ storage: BoardStorage; tokens: TokenService }> {
  const config = loadConfig();
  const tokens = new TokenService(loadOrCreateSecret(config.tokenSecret, config.dataDir));
  if (config.databaseUrl) {
    const { PostgresStorage } = await import('./storage/postgres');
    return { storage: await PostgresStorage.connect(config.databaseUrl), tokens };
  }
  return { storage: new SqliteStorage(path.join(config.dataDir, 'boards.sqlite')), tokens };
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const usage = 'usage: npm run board -- export <boardId> <file> | npm run board -- import <file>';
  if (command === 'export' && args.length === 2) {
    const [boardId, file] = args as [string, string];
    if (fs.existsSync(file)) throw new TransferError(`${file} exists: choose a new file`);
    const { storage } = await openStorage();
    try {
      const exported = await exportBoard(storage, boardId);
      fs.writeFileSync(file, JSON.stringify(exported), { flag: 'wx' });
      console.log(
        `exported board ${boardId} ("${exported.board.title}", ${exported.versions.length} versions) to ${file}`,
      );
    } finally {
      await storage.close();
    }
  } else if (command === 'import' && args.length === 1) {
    let input: unknown;
    try {
      input = JSON.parse(fs.readFileSync(args[0]!, 'utf8'));
    } catch (err) {
      throw new TransferError(`cannot read ${args[0]}: ${(err as Error).message}`);
    }
    const { storage, tokens } = await openStorage();
    try {
      const done = await importBoard(storage, input);
      const moderator = await tokens.sign({
        boardId: done.boardId,
        role: 'moderator',
        epoch: done.linkEpochs.moderator,
      });
      console.log(
        [
          `imported board ${done.boardId}, join code ${done.joinCode}` +
            (done.joinCodeChanged ? ' (new: the old one is taken here)' : ''),
          `moderator link (share it only with the moderator): /b/${done.boardId}#t=${moderator}`,
          'Links from the old deployment work here only if both use the same TOKEN_SECRET.',
        ].join('\n'),
      );
    } finally {
      await storage.close();
    }
  } else throw new TransferError(usage);
}

// Run as a command (not when a test imports it).
if (process.argv[1] && /boardTransfer\.(ts|js)$/.test(process.argv[1]))
  main().catch((err: unknown) => {
    if (err instanceof TransferError || err instanceof ConfigError) console.error(err.message);
    else console.error(err);
    process.exit(1);
  });
