'use client';

import { useEffect, useState } from 'react';

/** A QR code of `text` as an SVG data URL (null until ready, or for no text). */
export function useQrCodeSrc(text: string | null): string | null {
  const [qr, setQr] = useState<{ text: string; src: string } | null>(null);
  useEffect(() => {
    if (!text) return;
    let live = true;
    // The QR library loads with the first code shown (the share dialog, the projector).
    import('qrcode')
      .then(({ default: QRCode }) =>
        QRCode.toString(text, {
          type: 'svg',
          margin: 1,
          errorCorrectionLevel: 'M',
          color: { dark: '#1f2328', light: '#ffffff' },
        }),
      )
      .then(
        (svg) => {
          if (live)
            setQr({ text, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
        },
        () => undefined, // no code is shown; the link and join code are still there as text
      );
    return () => {
      live = false;
    };
  }, [text]);
  // A code made for an earlier text is never shown for a new one.
  return qr && qr.text === text ? qr.src : null;
}
