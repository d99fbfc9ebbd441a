/**
 * Upgrading a board's model (MODEL.md v2, item 7) through the real server: a preview of each
 * scenario's 2028 and horizon totals under both versions; nothing changes until a moderator
 * upgrades; the upgrade is undone by restoring the version saved just before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_ID, getModel, kpis, project } from '../lib/model';
import { createBoard, startServer, type TestServer } from './helpers';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s.close();
});

const v1 = getModel(MODEL_ID, 1)!;
const v2 = getModel(MODEL_ID, 2)!;

const call = (id: string, token: string, path: string, init: RequestInit = {}) =>
  fetch(`${s.http}/api/boards/${id}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });

interface Preview {
  from: { version: number };
  to: { version: number; changes: string[] };
  rows: {
    name: string;
    current: { total2028: number; totalHorizon: number };
    upgraded: { total2028: number; totalHorizon: number };
  }[];
}

const totals = async (id: string, token: string) => {
  const p = (await (await call(id, token, '/projection')).json()) as {
    model: { version: number };
    scenarios: { assumptions: Record<string, number>; years: { total: number }[] }[];
  };
  return { version: p.model.version, scenarios: p.scenarios };
};

describe('upgrading a v1 board to v2', () => {
  it('previews both versions, changes nothing by itself, upgrades on a moderator’s word, and undoes', async () => {
    const board = await createBoard(s.http, {
      title: 'Old board',
      modelVersion: 1,
      assumptions: { trainingOutput: 100_000 },
    });
    const before = await totals(board.id, board.token);
    expect(before.version).toBe(1);

    // The preview: 2028 and horizon totals, now and under v2, for each scenario.
    const res = await call(board.id, board.tokens.viewer, '/upgrade');
    expect(res.status).toBe(200);
    const { preview } = (await res.json()) as { preview: Preview };
    const values = v1.readValues({ trainingOutput: 100_000 });
    const now = kpis(project(values));
    const then = kpis(project(v2.readValues({ trainingOutput: 100_000 })));
    expect(preview.from.version).toBe(1);
    expect(preview.to.version).toBe(2);
    expect(preview.to.changes.length).toBeGreaterThan(0);
    expect(preview.rows).toEqual([
      {
        scenarioId: expect.any(String) as string,
        name: 'Baseline',
        current: { total2028: now.total2028, totalHorizon: now.totalHorizon, horizonYear: 2030 },
        upgraded: { total2028: then.total2028, totalHorizon: then.totalHorizon, horizonYear: 2030 },
      },
    ]);
    expect(then.totalHorizon).toBeLessThan(now.totalHorizon);

    // Looking changes nothing; an editor cannot upgrade.
    expect(await totals(board.id, board.token)).toEqual(before);
    expect((await call(board.id, board.tokens.editor, '/upgrade', { method: 'POST' })).status).toBe(
      403,
    );
    expect(await totals(board.id, board.token)).toEqual(before);

    // The moderator upgrades.
    const up = await call(board.id, board.token, '/upgrade', { method: 'POST' });
    expect(up.status).toBe(200);
    const { undoVersionId, from, to } = (await up.json()) as {
      undoVersionId: string;
      from: number;
      to: number;
    };
    expect({ from, to }).toEqual({ from: 1, to: 2 });
    const after = await totals(board.id, board.token);
    expect(after.version).toBe(2);
    expect(after.scenarios[0]!.assumptions).toMatchObject({
      trainingOutput: 100_000,
      programmeStart: 2024,
      programmeYears: 5,
    });
    expect(after.scenarios[0]!.years.at(-1)!.total).toBe(then.totalHorizon);
    expect(
      ((await (await call(board.id, board.token, '/upgrade')).json()) as { preview: unknown })
        .preview,
    ).toBeNull();
    expect((await call(board.id, board.token, '/upgrade', { method: 'POST' })).status).toBe(409);

    // Undo: restore the version saved before the upgrade.
    const undo = await call(board.id, board.token, `/versions/${undoVersionId}/restore`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'rollback' }),
    });
    expect(undo.status).toBe(200);
    expect(await totals(board.id, board.token)).toEqual(before);
  });

  it('a v2 board has nothing to upgrade to', async () => {
    const board = await createBoard(s.http, { title: 'New board' });
    const body = (await (await call(board.id, board.token, '/upgrade')).json()) as {
      preview: unknown;
    };
    expect(body.preview).toBeNull();
    expect((await call(board.id, board.token, '/upgrade', { method: 'POST' })).status).toBe(409);
  });
});
