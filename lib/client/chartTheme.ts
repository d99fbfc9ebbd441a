/**
 * Colours of the export segments for SVG charts. They mirror the `--color-segment-*` theme
 * variables in app/globals.css (Okabe–Ito palette); SVG presentation attributes cannot read CSS
 * variables reliably, so the values are repeated here: change both together.
 */
export const SEGMENTS = [
  { key: 'existing', label: 'Existing firms', color: '#0072b2' },
  { key: 'services', label: 'New services', color: '#e69f00' },
  { key: 'products', label: 'New products', color: '#009e73' },
  { key: 'freelance', label: 'Freelancers', color: '#cc79a7' },
] as const;

export type SegmentKey = (typeof SEGMENTS)[number]['key'];

export const CHART_INK = '#1f2328';
export const CHART_MUTED = '#59636e';
export const CHART_LINE = '#d8dee4';
export const CHART_TARGET = '#b42318';
