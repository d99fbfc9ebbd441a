'use client';

/** Header controls for history: undo / redo of one's own edits. */
export function HeaderHistoryControls() {
  return null;
}
