'use client';

/** Header controls for the live session: timer, follow/present, polls, hands, reactions. */
export function HeaderSessionControls() {
  return null;
}
