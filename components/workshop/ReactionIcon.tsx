import { Heart, Lightbulb, PartyPopper, Sparkles, ThumbsUp, type LucideIcon } from 'lucide-react';
import type { REACTIONS } from '@/lib/protocol';

/**
 * Reactions drawn as icons (lucide-react, tree-shaken): phones and projectors without an emoji
 * font showed empty boxes for the emoji. The emoji stays the reaction's value on the wire and its
 * text for screen readers and tests.
 */
const ICONS: Record<(typeof REACTIONS)[number], { Icon: LucideIcon; color: string }> = {
  '👍': { Icon: ThumbsUp, color: '#0b5cad' },
  '👏': { Icon: PartyPopper, color: '#b45309' },
  '🤔': { Icon: Lightbulb, color: '#7c3aed' },
  '😮': { Icon: Sparkles, color: '#c2410c' },
  '❤️': { Icon: Heart, color: '#be123c' },
};

export function ReactionIcon({
  emoji,
  className = 'size-5',
}: {
  emoji: string;
  className?: string;
}) {
  const entry = ICONS[emoji as keyof typeof ICONS];
  return (
    <>
      {entry ? (
        <entry.Icon className={className} color={entry.color} aria-hidden="true" strokeWidth={2} />
      ) : null}
      <span className={entry ? 'sr-only' : ''}>{emoji}</span>
    </>
  );
}
