/**
 * A scenario's colour, the one way it is drawn beside its name (tabs, tables, legends, the
 * decision): a dot, or the bar under the selected tab. Decorative: the name beside it says which
 * scenario, so screen readers skip it.
 */
const DOT_SIZE = { sm: 'size-2', md: 'size-2.5', lg: 'size-3' } as const;

export function ScenarioSwatch({
  color,
  size = 'md',
  bar = false,
  className = '',
  title,
}: {
  color: string;
  size?: keyof typeof DOT_SIZE;
  /** A thin bar (the selected tab's underline) instead of a dot; place it with `className`. */
  bar?: boolean;
  className?: string;
  title?: string;
}) {
  const shape = bar ? 'h-0.5' : `${DOT_SIZE[size]} shrink-0`;
  return (
    <span
      className={`${shape} rounded-full ${className}`.trim()}
      style={{ backgroundColor: color }}
      title={title}
      aria-hidden="true"
    />
  );
}
