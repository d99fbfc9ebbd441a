/**
 * A chart image fit for a memo: the chart with a title, the scenario and date, a legend and a
 * source line, composed as one SVG (plain strings, testable without a browser) and then
 * rasterised to PNG in the browser (`rasteriseSvg`).
 */

/** The one way the targets are framed, everywhere a reader meets them (shared with the CSV). */
export { TARGETS_FRAMING as TARGET_FRAMING } from '../board/exchange';

export interface MemoChartText {
  title: string;
  scenario: string;
  /** Already formatted for the reader, e.g. "2 Dec 2026". */
  date: string;
  legend: readonly { label: string; color: string }[];
  /** e.g. "Source: Scenario Board, ict-exports model v1. $5B policy target; …" */
  source: string;
  /** Optional line under the subtitle, e.g. the decision on record. */
  note?: string;
}

export interface ComposedSvg {
  svg: string;
  width: number;
  height: number;
}

const PAD = 24;
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';
const INK = '#1f2328';
const MUTED = '#59636e';

/** Text for an SVG text node or attribute. */
export function xmlText(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // eslint-disable-next-line no-control-regex -- control characters are not allowed in XML
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ' ')
  );
}

/** A rough width for a line of text (no layout engine here): enough to wrap the legend. */
const textWidth = (text: string, size: number) => text.length * size * 0.56;

/**
 * The chart's own SVG markup (`chartSvg`, `chart.width` x `chart.height`) inside a memo frame:
 * title, "Scenario · date", optional note, the chart, the legend (wrapped), the source line.
 */
export function composeMemoChartSvg(
  chartSvg: string,
  chart: { width: number; height: number },
  text: MemoChartText,
): ComposedSvg {
  const width = Math.max(640, Math.round(chart.width) + 2 * PAD);
  const parts: string[] = [];
  let y = PAD + 22;
  parts.push(
    `<text x="${PAD}" y="${y}" font-size="22" font-weight="600" fill="${INK}" data-role="title">${xmlText(text.title)}</text>`,
  );
  y += 26;
  parts.push(
    `<text x="${PAD}" y="${y}" font-size="14" fill="${MUTED}" data-role="subtitle">${xmlText(`Scenario: ${text.scenario} · ${text.date}`)}</text>`,
  );
  if (text.note) {
    y += 22;
    parts.push(
      `<text x="${PAD}" y="${y}" font-size="14" fill="${INK}" data-role="note">${xmlText(text.note)}</text>`,
    );
  }
  y += 16;
  parts.push(
    `<g transform="translate(${PAD} ${y})">${chartSvg.replace(/^<svg\b/, `<svg x="0" y="0"`)}</g>`,
  );
  y += Math.round(chart.height) + 24;
  // Legend: swatch + label, wrapped to the width.
  let x = PAD;
  const legend: string[] = [];
  for (const item of text.legend) {
    const w = 18 + textWidth(item.label, 13) + 20;
    if (x + w > width - PAD && x > PAD) {
      x = PAD;
      y += 22;
    }
    legend.push(
      `<rect x="${x}" y="${y - 11}" width="12" height="12" rx="2" fill="${xmlText(item.color)}"/>` +
        `<text x="${x + 18}" y="${y}" font-size="13" fill="${INK}">${xmlText(item.label)}</text>`,
    );
    x += w;
  }
  parts.push(`<g data-role="legend">${legend.join('')}</g>`);
  // The source line, wrapped at word boundaries to the width.
  const perLine = Math.max(20, Math.floor((width - 2 * PAD) / (11 * 0.56)));
  const lines: string[] = [];
  for (const word of text.source.split(/\s+/)) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= perLine)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  y += 30;
  const tspans = lines
    .map((line, i) => `<tspan x="${PAD}" dy="${i === 0 ? 0 : 15}">${xmlText(line)}</tspan>`)
    .join('');
  parts.push(
    `<text x="${PAD}" y="${y}" font-size="11" fill="${MUTED}" data-role="source">${tspans}</text>`,
  );
  y += 15 * (lines.length - 1);
  const height = y + PAD - 8;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>${parts.join('')}</svg>`;
  return { svg, width, height };
}

/** Draw an SVG document to a PNG at `scale` (browser only). */
export async function rasteriseSvg(composed: ComposedSvg, scale = 2): Promise<Blob> {
  const img = new Image();
  const loaded = new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('Could not draw the chart.'));
  });
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(composed.svg)}`;
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = composed.width * scale;
  canvas.height = composed.height * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('Could not draw the chart.');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, composed.width, composed.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('Could not encode the PNG.'))),
      'image/png',
    ),
  );
}
