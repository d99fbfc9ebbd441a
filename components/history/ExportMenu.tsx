'use client';

import { useCallback, useId, useRef, useState } from 'react';
import dynamic from 'next/dynamic';
import { useTranslations } from 'next-intl';
import { Download } from 'lucide-react';
import { useDismiss } from '@/lib/client/useDismiss';

// What the menu offers, and the export code behind it, loads when it is first opened.
const ExportPanel = dynamic(() => import('./ExportPanel').then((m) => m.ExportPanel), {
  ssr: false,
});

/** Share and export: a button; the panel (ExportPanel.tsx) opens below it. */
export function ExportMenu() {
  const t = useTranslations('board');
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const wrapRef = useRef<HTMLDivElement>(null);
  const closeMenu = useCallback(() => setOpen(false), []);
  useDismiss(open, closeMenu, wrapRef);

  return (
    <div ref={wrapRef} className="relative">
      <button
        type="button"
        onClick={() => setOpen((v) => !v)}
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={t('export')}
        data-testid="export-menu"
        className="inline-flex h-9 items-center gap-1.5 rounded-lg border border-line px-2.5 text-sm font-medium hover:bg-canvas"
      >
        <Download className="size-4" aria-hidden="true" />
        <span className="hidden sm:inline">{t('export')}</span>
      </button>
      {open && <ExportPanel menuId={menuId} onClose={closeMenu} />}
    </div>
  );
}
