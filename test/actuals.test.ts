/**
 * Reported actuals (model rule R22) over a real server: only a moderator writes them, bad ones are
 * refused with a clear message, and the projection API and exports mark each year actual or
 * projected, with the reported years unchanged whatever the levers.
 */
import { describe, expect, it } from 'vitest';
import { readActuals, setActuals } from '../lib/board/actuals';
import { readBoard } from '../lib/board/boardState';
import { setAssumption } from '../lib/board/scenarios';
import type { Actual } from '../lib/model';
import { connectClient, createBoard, startServer, waitFor } from './helpers';
import { closeAfterTest } from './teardown';

const B = 1e9;
const ACTUALS: Actual[] = [
  { year: 2024, totalUsd: 3.2 * B, source: 'SBP ICT exports FY2024' },
  { year: 2025, totalUsd: 3.8 * B, freelanceUsd: 0.5 * B, source: 'SBP ICT exports FY2025' },
];

async function setup() {
  const s = closeAfterTest(await startServer(), (s) => s.close());
  const board = await createBoard(s.http, { title: 'Actuals' });
  const connect = async (token: string) => {
    const c = closeAfterTest(connectClient(s.ws, board.id, token), (c) => c.destroy());
    await c.synced;
    return c;
  };
  return { s, board, connect };
}

interface ProjectionBody {
  actuals: Actual[];
  scenarios: { years: { year: number; total: number; kind: string; source?: string }[] }[];
}

describe('reported actuals on the server', () => {
  it('an editor cannot write actuals, even from a raw client; a moderator can', async () => {
    const { s, board, connect } = await setup();
    const moderator = await connect(board.tokens.moderator);
    const editor = await connect(board.tokens.editor);
    setActuals(editor.doc, ACTUALS);
    await waitFor(() => editor.notices.length === 1, 'the editor is told');
    expect(editor.notices[0]).toMatchObject({ type: 'refused', kind: 'forbidden' });
    expect(editor.notices[0]!.message).toMatch(
      /Only the moderator can change the reported actuals/,
    );
    await waitFor(() => readActuals(editor.doc).length === 0, 'the editor is brought back');
    expect(await s.server.hub.withBoard(board.id, (b) => readActuals(b.doc))).toEqual([]);

    setActuals(moderator.doc, ACTUALS);
    await waitFor(() => readActuals(editor.doc).length === 2, 'the editor sees the actuals');
    expect(readBoard(editor.doc).actuals).toEqual(ACTUALS);
    // An editor cannot remove them either.
    setActuals(editor.doc, []);
    await waitFor(() => editor.notices.length === 2, 'refused again');
    await waitFor(() => readActuals(editor.doc).length === 2, 'restored on the editor');
  });

  it('bad actuals are refused with a message that says why; the board keeps what it had', async () => {
    const { s, board, connect } = await setup();
    const thisYear = new Date().getUTCFullYear();
    const cases: [unknown, RegExp][] = [
      [[{ year: 2023, totalUsd: B, source: 'x' }], /Actuals start in 2024/],
      [[{ year: thisYear, totalUsd: B, source: 'x' }], /years already over/],
      [[{ year: 2024, totalUsd: -1, source: 'x' }], /cannot be negative/],
      [[{ year: 2024, totalUsd: B, source: 'x'.repeat(201) }], /up to 200 characters/],
      [[{ year: 2024, totalUsd: B, source: '  ' }], /where the figure comes from/],
      [[{ year: 2024, totalUsd: B, freelanceUsd: 2 * B, source: 'x' }], /cannot exceed/],
      [
        [
          { year: 2024, totalUsd: B, source: 'a' },
          { year: 2024, totalUsd: B, source: 'b' },
        ],
        /once/,
      ],
      [{ year: 2024 }, /expected array|list/i],
    ];
    // One connection per case: a connection that keeps sending refused updates is closed.
    for (const [i, [value, message]] of cases.entries()) {
      const moderator = await connect(board.tokens.moderator);
      moderator.doc.getMap('meta').set('actuals', value);
      await waitFor(() => moderator.notices.length === 1, `case ${i} refused`);
      expect(moderator.notices[0]).toMatchObject({ type: 'refused', kind: 'invalid' });
      expect(moderator.notices[0]!.message).toMatch(message);
      await waitFor(() => !moderator.doc.getMap('meta').has('actuals'), `case ${i} rolled back`);
    }
    expect(await s.server.hub.withBoard(board.id, (b) => b.doc.getMap('meta').has('actuals'))).toBe(
      false,
    );
  });

  it('the projection API and the exports mark actual and projected years; levers do not move actual years', async () => {
    const { s, board, connect } = await setup();
    const moderator = await connect(board.tokens.moderator);
    const editor = await connect(board.tokens.editor);
    const get = async (path: string) =>
      fetch(`${s.http}/api/boards/${board.id}/${path}`, {
        headers: { authorization: `Bearer ${board.tokens.viewer}` },
      });
    const before = (await (await get('projection')).json()) as ProjectionBody;
    expect(before.actuals).toEqual([]);
    expect(before.scenarios[0]!.years.every((y) => y.kind === 'projected')).toBe(true);

    setActuals(moderator.doc, ACTUALS);
    await waitFor(() => readActuals(editor.doc).length === 2, 'actuals arrive');
    const withActuals = (await (await get('projection')).json()) as ProjectionBody;
    const years = withActuals.scenarios[0]!.years;
    expect(years.find((y) => y.year === 2024)).toMatchObject({
      total: 3.2 * B,
      kind: 'actual',
      source: 'SBP ICT exports FY2024',
    });
    expect(years.find((y) => y.year === 2025)).toMatchObject({ total: 3.8 * B, kind: 'actual' });
    expect(years.find((y) => y.year === 2026)!.kind).toBe('projected');

    const scenarioId = readBoard(editor.doc).scenarios[0]!.id;
    setAssumption(editor.doc, scenarioId, 'trainingOutput', 250_000);
    setAssumption(editor.doc, scenarioId, 'baselineGrowth', 20);
    await waitFor(
      () => readBoard(moderator.doc).scenarios[0]!.values.baselineGrowth === 20,
      'the levers move',
    );
    const moved = (await (await get('projection')).json()) as ProjectionBody;
    const total = (p: ProjectionBody, year: number) =>
      p.scenarios[0]!.years.find((y) => y.year === year)!.total;
    expect(total(moved, 2024)).toBe(3.2 * B);
    expect(total(moved, 2025)).toBe(3.8 * B);
    expect(total(moved, 2028)).toBeGreaterThan(total(withActuals, 2028));

    const csv = await (await get('export.csv')).text();
    const [header, ...rows] = csv.trim().split('\r\n');
    const head = header!.split(',');
    const kind = head.indexOf('"Kind"');
    const source = head.indexOf('"Source"');
    expect(kind).toBeGreaterThan(0);
    const row = (year: number) => rows.map((r) => r.split(',')).find((r) => r[1] === String(year))!;
    expect(row(2024)[kind]).toBe('"actual"');
    expect(row(2024)[source]).toBe('"SBP ICT exports FY2024"');
    expect(row(2024)[2]).toBe(String(3.2 * B));
    expect(row(2026)[kind]).toBe('"projected"');

    const json = (await (await get('export.json')).json()) as ProjectionBody;
    expect(json.actuals).toEqual(ACTUALS);
    expect(json.scenarios[0]!.years.find((y) => y.year === 2025)!.kind).toBe('actual');
  });
});
