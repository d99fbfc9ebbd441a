// The session bar's chip buttons (SessionOverlay, ModeratorControls).
export const CHIP =
  'inline-flex h-8 shrink-0 items-center gap-1.5 rounded-lg border px-2.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-accent disabled:opacity-50';
export const CHIP_OFF = 'border-line bg-surface text-ink hover:bg-canvas';
export const CHIP_ON = 'border-accent/40 bg-accent-soft text-accent';
