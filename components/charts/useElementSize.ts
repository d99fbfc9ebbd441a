'use client';

import { useCallback, useState } from 'react';

/**
 * The content size of an element, kept current with a ResizeObserver: charts drawn as plain SVG
 * need pixel sizes to lay out their axes. Null until the element is in the page.
 */
export function useElementSize<T extends Element>(): [
  (el: T | null) => void,
  { width: number; height: number } | null,
] {
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const ref = useCallback((el: T | null) => {
    if (!el) return;
    const measure = () => {
      const { width, height } = el.getBoundingClientRect();
      setSize((s) =>
        s && s.width === Math.round(width) && s.height === Math.round(height)
          ? s
          : { width: Math.round(width), height: Math.round(height) },
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    // React 19 runs a callback ref's returned function when the element goes away.
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}
