import { describe, expect, it } from 'vitest';
import {
  defaultAssumptions,
  monteCarlo,
  project,
  projectionSeries,
  uncertaintyRows,
} from '../index';

describe('O1 chart helpers reshape, never recompute', () => {
  it('projectionSeries: one array per output, aligned with the years', () => {
    const p = project(defaultAssumptions());
    const s = projectionSeries(p);
    expect(s.years).toEqual(p.years.map((y) => y.year));
    p.years.forEach((y, i) => {
      expect(s.total[i]).toBe(y.total);
      expect(s.servicesShareOfTotal[i]).toBe(y.servicesShareOfTotal);
      expect(s.workforceAdded[i]).toBe(y.workforceAdded);
      expect(s.addedSinceBase[i]).toBe(y.total - p.years[0]!.total);
    });
  });

  it('uncertaintyRows: one row per year with the deterministic total beside the bands', () => {
    const a = defaultAssumptions();
    const mc = monteCarlo(a, { seed: 1, samples: 500 });
    const rows = uncertaintyRows(mc, project(a));
    expect(rows.map((r) => r.year)).toEqual(mc.years);
    rows.forEach((r, i) => {
      expect(r.p50).toBe(mc.p50[i]);
      expect(r.spread).toBe(mc.p90[i]! - mc.p10[i]!);
      expect(r.deterministic).toBe(project(a).years[i]!.total);
    });
    expect(uncertaintyRows(mc)[0]!.deterministic).toBeNull();
  });
});
