import type { ReactNode } from 'react';

/**
 * A figure kept left to right inside any text: "+$1.2B", "-3.5%", "2025–2030" and join codes
 * read the same in an Urdu sentence as in English (the bidi algorithm would otherwise move a
 * leading sign or dash to the other end). Isolated, so it does not reorder the words around it.
 */
export function Ltr({ children }: { children: ReactNode }) {
  return (
    <bdi dir="ltr" className="whitespace-nowrap">
      {children}
    </bdi>
  );
}
