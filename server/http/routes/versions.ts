/**
 * Named versions: save, list, read (content or encoded state), rename or archive, restore as a
 * scenario or roll back (undoable).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import * as Y from 'yjs';
import { project } from '../../../lib/model';
import {
  AUTHOR_NAME_MAX,
  ID_MAX,
  SCENARIO_NAME_MAX,
  VERSION_NAME_MAX,
} from '../../../lib/board/limits';
import { addScenario } from '../../../lib/board/scenarios';
import { docFromState } from '../../../lib/board/layout';
import { readBoard } from '../../../lib/board/boardState';
import { readLocks } from '../../../lib/board/locks';
import { restoreContent } from '../../../lib/board/restore';
import type { Actor } from '../../../lib/board/refusal';
import { randomId } from '../../collab/ids';
import type { VersionRecord } from '../../storage/types';
import { ApiError, parseBody, readJson, sendFile, sendJson } from '../apiKit';
import { boardAccess, type ApiContext, type BoardRoute } from './context';

const versionSchema = v.object({
  name: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'name the version'),
    v.maxLength(VERSION_NAME_MAX, `a version name is at most ${VERSION_NAME_MAX} characters`),
  ),
  author: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(AUTHOR_NAME_MAX))),
});
/** A moderator's change to a version's listing: a new name, archived or back in the list. */
const versionChangeSchema = v.pipe(
  v.strictObject({
    name: v.optional(versionSchema.entries.name),
    archived: v.optional(v.boolean()),
  }),
  v.check(
    (b) => b.name !== undefined || b.archived !== undefined,
    'send { "name": "..." } and/or { "archived": true | false }',
  ),
);
const restoreSchema = v.object({
  mode: v.picklist(['rollback', 'scenario']),
  scenarioId: v.optional(v.pipe(v.string(), v.maxLength(ID_MAX))),
});

export function versionRoutes(ctx: ApiContext) {
  const { hub } = ctx;
  const { readLive, changeBoard } = boardAccess(ctx);

  async function saveVersion(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const body = parseBody(versionSchema, await readJson(req), 'name');
    const version = await snapshotVersion(id, body.name, body.author ?? 'Moderator');
    sendJson(res, 201, version);
  }

  /** Store the board's current state as a named version. */
  async function snapshotVersion(id: string, name: string, author: string): Promise<VersionRecord> {
    const state = await readLive(id, (doc) => Y.encodeStateAsUpdate(doc));
    const version: VersionRecord = {
      id: randomId(10),
      boardId: id,
      name,
      author,
      createdAt: Date.now(),
      size: state.length,
      archivedAt: null,
      events: [],
    };
    await hub.storage.saveVersion(version, state);
    return version;
  }

  /** Rename, archive or unarchive a version (never deletes it); logged with who and when. */
  async function changeVersion(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    versionId: string,
    actor: Actor,
  ): Promise<void> {
    const wanted = parseBody(versionChangeSchema, await readJson(req), 'name');
    const change = { at: Date.now(), by: actor.participant?.name ?? 'Moderator' };
    let record = await hub.storage.getVersion(id, versionId).then((v) => v?.record ?? null);
    if (record && wanted.name !== undefined)
      record = await hub.storage.renameVersion(id, versionId, wanted.name, change);
    if (record && wanted.archived !== undefined)
      record = await hub.storage.setVersionArchived(id, versionId, wanted.archived, change);
    if (!record)
      throw new ApiError(404, 'unknownVersion', `no version ${versionId} of board ${id}`);
    sendJson(res, 200, record);
  }

  async function sendVersion(
    res: ServerResponse,
    id: string,
    versionId: string,
    format: string | null,
  ): Promise<void> {
    const version = await hub.storage.getVersion(id, versionId);
    if (!version)
      throw new ApiError(404, 'unknownVersion', `no version ${versionId} of board ${id}`);
    if (format === 'yjs')
      return sendFile(
        res,
        Buffer.from(version.state),
        'application/octet-stream',
        `${versionId}.yjs`,
      );
    const doc = docFromState(version.state);
    try {
      const board = readBoard(doc);
      sendJson(res, 200, {
        version: version.record,
        board,
        locks: readLocks(doc),
        scenarios: board.scenarios.map((s) => ({
          id: s.id,
          name: s.name,
          totals: project(s.values, board.actuals).years.map((y) => ({
            year: y.year,
            total: y.total,
          })),
        })),
      });
    } finally {
      doc.destroy();
    }
  }

  async function restoreVersion(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    versionId: string,
  ): Promise<void> {
    const parsed = v.safeParse(restoreSchema, await readJson(req));
    if (!parsed.success)
      throw new ApiError(
        400,
        'invalidRequest',
        'send { "mode": "rollback" } or { "mode": "scenario", "scenarioId": "..." }',
        'mode',
      );
    const version = await hub.storage.getVersion(id, versionId);
    if (!version)
      throw new ApiError(404, 'unknownVersion', `no version ${versionId} of board ${id}`);
    const from = docFromState(version.state);
    try {
      if (parsed.output.mode === 'scenario') {
        const source = readBoard(from);
        const wanted = parsed.output.scenarioId ?? source.meta.baselineScenarioId;
        const scenario =
          source.scenarios.find((s) => s.id === wanted) ??
          (parsed.output.scenarioId === undefined ? source.scenarios[0] : undefined);
        if (!scenario)
          throw new ApiError(
            404,
            'unknownScenario',
            'that version has no such scenario',
            'scenarioId',
          );
        let scenarioId = '';
        await changeBoard(id, (doc) => {
          const name = `${scenario.name} (${version.record.name})`.slice(0, SCENARIO_NAME_MAX);
          scenarioId = addScenario(doc, { name, values: scenario.values, notes: scenario.notes });
        });
        return sendJson(res, 201, { mode: 'scenario', scenarioId });
      }
      // Roll back: first keep today's state as a version, so the rollback itself can be undone.
      const undo = await snapshotVersion(
        id,
        `Before restoring “${version.record.name}”`.slice(0, VERSION_NAME_MAX),
        'Scenario Board',
      );
      await changeBoard(id, (doc) => restoreContent(doc, from));
      return sendJson(res, 200, { mode: 'rollback', undoVersionId: undo.id });
    } finally {
      from.destroy();
    }
  }

  const routes: BoardRoute[] = [
    {
      method: 'GET',
      path: '/versions',
      role: 'viewer',
      handle: async ({ res, id }) =>
        sendJson(res, 200, { versions: await hub.storage.listVersions(id) }),
    },
    {
      method: 'POST',
      path: '/versions',
      role: 'moderator',
      handle: ({ req, res, id }) => saveVersion(req, res, id),
    },
    {
      method: 'GET',
      path: '/versions/:vid',
      role: 'viewer',
      download: true,
      handle: ({ res, id, params, url }) =>
        sendVersion(res, id, params.vid ?? '', url.searchParams.get('format')),
    },
    {
      method: 'PATCH',
      path: '/versions/:vid',
      role: 'moderator',
      handle: ({ req, res, id, params, actor }) =>
        changeVersion(req, res, id, params.vid ?? '', actor!),
    },
    {
      method: 'POST',
      path: '/versions/:vid/restore',
      role: 'moderator',
      handle: ({ req, res, id, params }) => restoreVersion(req, res, id, params.vid ?? ''),
    },
  ];
  return { routes, snapshotVersion };
}
