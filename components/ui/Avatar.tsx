import { initials } from '@/lib/client/identity';

const SIZES = {
  xs: 'size-5 text-[9px]',
  sm: 'size-7 text-[11px]',
  md: 'size-9 text-xs',
} as const;

interface AvatarProps {
  name: string;
  color: string;
  size?: keyof typeof SIZES;
  /** Extra note for the tooltip, e.g. "(you)" or "editing". */
  note?: string;
  testId?: string;
  className?: string;
}

/** Initials in a coloured circle; the full name is the tooltip and the accessible name. */
export function Avatar({ name, color, size = 'sm', note, testId, className = '' }: AvatarProps) {
  const label = note ? `${name} ${note}` : name;
  return (
    <span
      role="img"
      title={label}
      aria-label={label}
      data-testid={testId}
      className={`inline-flex shrink-0 items-center justify-center rounded-full font-semibold text-white ring-2 ring-surface select-none ${SIZES[size]} ${className}`}
      style={{ backgroundColor: color }}
    >
      <span aria-hidden="true">{initials(name)}</span>
    </span>
  );
}
