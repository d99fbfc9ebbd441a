'use client';

import { useEffect, type RefObject } from 'react';

/**
 * Close a popover or menu on a pointer press outside `ref` or on Escape, while `open`.
 * `close` should be stable (a state setter, or wrapped in useCallback).
 */
export function useDismiss(open: boolean, close: () => void, ref: RefObject<Element | null>): void {
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) close();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, close, ref]);
}
