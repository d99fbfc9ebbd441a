'use client';

import { useState } from 'react';
import dynamic from 'next/dynamic';
import { useTranslations } from 'next-intl';
import { Link2 } from 'lucide-react';
import type { ShareProps } from './ShareDialog';

// The dialog, its QR code and link tools load when someone presses Share (issue 11's phone
// budget: a participant's first visit does not ship them).
const ShareDialog = dynamic(() => import('./ShareDialog').then((m) => m.ShareDialog), {
  ssr: false,
});

/** "Share": opens the dialog with the room's link, QR code and join code (ShareDialog.tsx). */
export function ShareButton(props: ShareProps) {
  const t = useTranslations('board');
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        data-testid="share-button"
        className="inline-flex h-9 items-center gap-1.5 rounded-lg border border-line bg-surface px-3 text-sm font-medium hover:bg-canvas"
      >
        <Link2 className="size-4" aria-hidden="true" />
        {t('share')}
      </button>
      {open && <ShareDialog {...props} onClose={() => setOpen(false)} />}
    </>
  );
}
