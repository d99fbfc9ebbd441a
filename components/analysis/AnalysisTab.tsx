'use client';

/** The Analysis tab (uncertainty, sensitivity, goal seek, attribution). */
export function AnalysisTab() {
  return null;
}
