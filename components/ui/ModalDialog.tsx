'use client';

import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The one modal dialog shell (name, share, poll): a native `<dialog>` opened with showModal(),
 * which gives the focus trap, the inert page behind and Escape. With `onDismiss`, Escape and a
 * click on the backdrop call it; without (a question that must be answered) Escape does nothing.
 */
export function ModalDialog({
  labelledBy,
  testId,
  onDismiss,
  wide = false,
  children,
}: {
  /** The id of the dialog's title. */
  labelledBy: string;
  testId: string;
  onDismiss?: () => void;
  /** 30rem instead of 28rem, for a form with more to it. */
  wide?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={labelledBy}
      data-testid={testId}
      onCancel={(e) => {
        if (onDismiss) onDismiss();
        else e.preventDefault();
      }}
      onClick={(e) => {
        if (onDismiss && e.target === ref.current) onDismiss();
      }}
      className={`m-auto ${wide ? 'w-[min(30rem,calc(100vw-2rem))]' : 'w-[min(28rem,calc(100vw-2rem))]'} rounded-2xl border border-line bg-surface p-0 text-ink shadow-xl backdrop:bg-ink/30`}
    >
      {children}
    </dialog>
  );
}
