'use client';

import { useEffect } from 'react';

/**
 * Make `title` the tab's title and keep it so: the page's streamed metadata can hoist its own
 * `<title>` into the head after this effect ran (its server lookup may have timed out and named
 * the page generically), and the first `<title>` in the head wins. The live board is the one
 * owner of its title, so any later write that differs is put back.
 */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    if (title === null) return;
    const assert = () => {
      if (document.title !== title) document.title = title;
    };
    assert();
    const observer = new MutationObserver(assert);
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [title]);
}
