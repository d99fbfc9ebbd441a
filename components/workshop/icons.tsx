/** Small line icons of the workshop tools (16px grid, currentColor). */
const base = {
  viewBox: '0 0 16 16',
  'aria-hidden': true,
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1.5,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
} as const;

export function LockIcon({
  open = false,
  className = 'size-3.5',
}: {
  open?: boolean;
  className?: string;
}) {
  return (
    <svg {...base} className={className}>
      <rect x="3.5" y="7" width="9" height="6.5" rx="1.5" />
      <path d={open ? 'M5.5 7V5a2.5 2.5 0 014.8-1' : 'M5.5 7V5a2.5 2.5 0 015 0v2'} />
    </svg>
  );
}

export function SpotlightIcon({ className = 'size-3.5' }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <circle cx="8" cy="8" r="2.5" />
      <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
    </svg>
  );
}

export function PollIcon({ className = 'size-3.5' }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <path d="M3 13.5V9M8 13.5V3M13 13.5V6.5" />
    </svg>
  );
}

export function HandIcon({ className = 'size-4' }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <path d="M5 8V3.5a1 1 0 012 0V7M7 7V2.5a1 1 0 012 0V7M9 7V3.5a1 1 0 012 0V8M11 8V6a1 1 0 012 0v3.5A5 5 0 018 14.5 5 5 0 013.4 11.4L2.3 8.8a1 1 0 011.7-1L5 9.5" />
    </svg>
  );
}

export function PresentIcon({ className = 'size-4' }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <rect x="1.5" y="2.5" width="13" height="8.5" rx="1.2" />
      <path d="M8 11v2.5M5.5 13.5h5" />
    </svg>
  );
}

export function ExternalIcon({ className = 'size-3.5' }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <path d="M9.5 2.5h4v4M13.5 2.5L8 8M12 9.5v3a1 1 0 01-1 1H3.5a1 1 0 01-1-1V5a1 1 0 011-1h3" />
    </svg>
  );
}
