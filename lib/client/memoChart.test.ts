import { describe, expect, it } from 'vitest';
import { TARGET_FRAMING, composeMemoChartSvg, xmlText } from './memoChart';

const chart = '<svg width="800" height="400"><rect width="800" height="400" fill="#eee"/></svg>';
const text = {
  title: 'IT exports <workshop> & Lahore',
  scenario: 'Skills-first',
  date: '2 December 2026',
  legend: [
    { label: 'Existing firms', color: '#0072b2' },
    { label: 'Freelancers', color: '#cc79a7' },
    { label: TARGET_FRAMING, color: '#b42318' },
  ],
  source: 'Source: Scenario Board projection (ict-exports model v1).',
  note: 'Agreed 2 Dec 2026: meets the policy target',
};

/** The text content of the elements with data-role="role". */
const roleText = (svg: string, role: string) =>
  [...svg.matchAll(new RegExp(`data-role="${role}"[^>]*>([^<]*)<`, 'g'))].map((m) => m[1]);

describe('memo chart SVG', () => {
  it('frames the chart with title, scenario and date, note, legend and source', () => {
    const out = composeMemoChartSvg(chart, { width: 800, height: 400 }, text);
    expect(out.width).toBe(848);
    // Header (about 100 px) + chart + legend + source: taller than the chart by a margin.
    expect(out.height).toBeGreaterThan(400 + 150);
    expect(out.svg).toMatch(new RegExp(`^<svg [^>]*width="848" height="${out.height}"`));
    expect(roleText(out.svg, 'title')).toEqual(['IT exports &lt;workshop&gt; &amp; Lahore']);
    expect(roleText(out.svg, 'subtitle')).toEqual(['Scenario: Skills-first · 2 December 2026']);
    expect(roleText(out.svg, 'note')).toEqual(['Agreed 2 Dec 2026: meets the policy target']);
    const source = out.svg.slice(out.svg.indexOf('data-role="source"'));
    expect([...source.matchAll(/<tspan[^>]*>([^<]*)</g)].map((m) => m[1]).join(' ')).toBe(
      text.source,
    );
    const legend = out.svg.slice(out.svg.indexOf('data-role="legend"'));
    for (const item of text.legend) expect(legend).toContain(`>${xmlText(item.label)}</text>`);
    expect(legend).toContain('$5B policy target; $10B-$18B aspiration by 2028');
    // The chart is inside, unchanged apart from its position.
    expect(out.svg).toContain('<svg x="0" y="0" width="800" height="400">');
  });

  it('keeps a narrow chart readable and wraps a long legend', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      label: `Series ${i} long label`,
      color: '#000000',
    }));
    const out = composeMemoChartSvg(
      chart,
      { width: 300, height: 200 },
      { ...text, note: undefined, legend: many },
    );
    expect(out.width).toBe(640);
    expect(roleText(out.svg, 'note')).toEqual([]);
    // A long source line wraps instead of running off the image.
    const long = composeMemoChartSvg(
      chart,
      { width: 300, height: 200 },
      { ...text, source: 'word '.repeat(60).trim() },
    );
    expect(long.svg.match(/<tspan/g)!.length).toBeGreaterThan(1);
    expect(long.height).toBeGreaterThan(out.height);
    const ys = new Set(
      [...out.svg.matchAll(/<rect x="\d+(?:\.\d+)?" y="(\d+)"/g)].map((m) => m[1]),
    );
    expect(ys.size).toBeGreaterThan(1); // more than one legend row
  });
});
