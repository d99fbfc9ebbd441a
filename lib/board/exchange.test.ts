import { describe, expect, it } from 'vitest';
import { ImportError, parseScenarioImport } from './exchange';

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
