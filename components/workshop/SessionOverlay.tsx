'use client';

/** Page-wide live-session layer: open poll card, raised hands, reactions, presenter follow. */
export function SessionOverlay() {
  return null;
}
