'use client';

/** The History tab (versions, decision log, replay, compare). */
export function HistoryTab() {
  return null;
}
