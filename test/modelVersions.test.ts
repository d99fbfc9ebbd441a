/**
 * Model versions through the real server (port 0, SQLite, stock y-websocket clients): new boards
 * use v2, a v1 board reads v1's numbers and cannot take v2's programme assumptions, and the API
 * names the model and returns warnings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoard } from '../lib/board/boardState';
import { setAssumption } from '../lib/board/scenarios';
import { MODEL_ID, getModel, project } from '../lib/model';
import { connectClient, createBoard, startServer, waitFor, type TestServer } from './helpers';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s.close();
});

const v1 = getModel(MODEL_ID, 1)!;
const v2 = getModel(MODEL_ID, 2)!;

interface ProjectionBody {
  model: { id: string; version: number };
  assumptionIds: string[];
  scenarios: {
    assumptions: Record<string, number>;
    years: { year: number; total: number; withoutProgramme: number; trained: number }[];
    warnings: { year: number; kind: string; message: string }[];
  }[];
}

async function get<T>(id: string, token: string, path = ''): Promise<T> {
  const res = await fetch(`${s.http}/api/boards/${id}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe('model versions on the API', () => {
  it('POST /api/boards without a model creates v2; metadata and projection name it', async () => {
    const board = await createBoard(s.http, { title: 'New' });
    const meta = await get<{ model: unknown; modelVersion: number }>(board.id, board.token);
    expect(meta.modelVersion).toBe(2);
    expect(meta.model).toEqual({
      id: MODEL_ID,
      version: 2,
      label: v2.label,
      newerVersion: null,
    });
    const p = await get<ProjectionBody>(board.id, board.token, '/projection');
    expect(p.model).toEqual({ id: MODEL_ID, version: 2 });
    expect(p.assumptionIds).toContain('programmeYears');
    const [baseline] = p.scenarios;
    expect(baseline!.assumptions).toMatchObject({ programmeStart: 2024, programmeYears: 5 });
    expect(baseline!.years.map((y) => y.total)).toEqual(
      project(v2.defaults()).years.map((y) => y.total),
    );
    expect(baseline!.years.map((y) => y.trained)).toEqual([0, 4e4, 4e4, 4e4, 4e4, 4e4, 0, 0]);
    expect(baseline!.warnings).toEqual([]);
  });

  it('a v1 board reads v1’s numbers, has no programme, and is offered v2', async () => {
    const board = await createBoard(s.http, { title: 'Old', modelVersion: 1 });
    const meta = await get<{ model: { version: number; newerVersion: number } }>(
      board.id,
      board.token,
    );
    expect(meta.model).toMatchObject({ version: 1, newerVersion: 2 });
    const p = await get<ProjectionBody>(board.id, board.token, '/projection');
    expect(p.model.version).toBe(1);
    expect(p.assumptionIds).not.toContain('programmeYears');
    expect(Object.keys(p.scenarios[0]!.assumptions)).not.toContain('programmeYears');
    expect(p.scenarios[0]!.years.map((y) => y.total)).toEqual(
      project(v1.defaults()).years.map((y) => y.total),
    );
  });

  it.each([
    [{ title: 'x', modelVersion: 9 }, 'modelVersion'],
    [{ title: 'x', modelVersion: 1.5 }, 'modelVersion'],
    [
      { title: 'x', modelVersion: 1, assumptions: { programmeYears: 3 } },
      'assumptions.programmeYears',
    ],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const res = await fetch(`${s.http}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { field: string }).field).toBe(field);
  });

  it('returns plausibility warnings for extreme settings', async () => {
    const board = await createBoard(s.http, {
      title: 'Extreme',
      assumptions: {
        trainingOutput: 300_000,
        programmeYears: 20,
        productGrowth: 100,
        servicesShare: 0,
        horizon: 2040,
      },
    });
    const p = await get<ProjectionBody>(board.id, board.token, '/projection');
    const kinds = new Set(p.scenarios[0]!.warnings.map((w) => w.kind));
    expect(kinds).toEqual(new Set(['beyondTenfold', 'fastGrowth']));
  });
});

describe('exports name the model and version', () => {
  it.each([1, 2])('v%i: export.json and export.csv', async (version) => {
    const board = await createBoard(s.http, { title: `Export v${version}`, modelVersion: version });
    const json = await get<{
      model: { id: string; version: number };
      scenarios: { assumptions: Record<string, number>; warnings: unknown[] }[];
    }>(board.id, board.token, '/export.json');
    expect(json.model).toEqual({ id: MODEL_ID, version });
    expect('programmeYears' in json.scenarios[0]!.assumptions).toBe(version === 2);
    expect(json.scenarios[0]!.warnings).toEqual([]);
    const csv = await (
      await fetch(`${s.http}/api/boards/${board.id}/export.csv`, {
        headers: { authorization: `Bearer ${board.token}` },
      })
    ).text();
    const [header, first] = csv.trim().split('\r\n');
    const head = header!.split(',');
    const row = first!.split(',');
    expect(head).toContain('"Without the programme (USD)"');
    // A v1 board's CSV has no programme columns; a v2 board's has them.
    expect(head.includes('"Programme length (yrs)"')).toBe(version === 2);
    expect(row[head.indexOf('"Model"')]).toBe(`"${MODEL_ID} v${version}"`);
  });
});

describe('model versions on the Yjs endpoint', () => {
  it('a v1 board refuses a programme value; a v2 board takes it', async () => {
    const old = await createBoard(s.http, { title: 'Old', modelVersion: 1 });
    const fresh = await createBoard(s.http, { title: 'New' });
    const a = connectClient(s.ws, old.id, old.tokens.editor);
    const b = connectClient(s.ws, fresh.id, fresh.tokens.editor);
    try {
      await Promise.all([a.synced, b.synced]);
      const oldId = readBoard(a.doc).scenarios[0]!.id;
      const freshId = readBoard(b.doc).scenarios[0]!.id;
      setAssumption(a.doc, oldId, 'programmeYears', 3);
      setAssumption(b.doc, freshId, 'programmeYears', 3);
      await waitFor(() => a.notices.length === 1, 'the v1 editor is told');
      expect(a.notices[0]).toMatchObject({ type: 'refused', kind: 'invalid' });
      expect(a.notices[0]!.message).toMatch(/not an assumption of model pk-ict-exports v1/);
      const oldP = await get<ProjectionBody>(old.id, old.token, '/projection');
      expect(oldP.scenarios[0]!.years.map((y) => y.total)).toEqual(
        project(v1.defaults()).years.map((y) => y.total),
      );
      await waitFor(() => b.notices.length === 0, 'no refusal on v2');
      let freshP = await get<ProjectionBody>(fresh.id, fresh.token, '/projection');
      for (let i = 0; i < 50 && freshP.scenarios[0]!.assumptions.programmeYears !== 3; i++) {
        await new Promise((r) => setTimeout(r, 50));
        freshP = await get<ProjectionBody>(fresh.id, fresh.token, '/projection');
      }
      expect(freshP.scenarios[0]!.assumptions.programmeYears).toBe(3);
      expect(b.notices).toEqual([]);
    } finally {
      a.destroy();
      b.destroy();
    }
  });
});
