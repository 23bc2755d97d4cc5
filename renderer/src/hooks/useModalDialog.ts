import { useEffect, useRef } from 'react';

/**
 * A native <dialog> shown modally while `open` is true: focus is trapped, the page behind is
 * inert, Escape goes through the dialog's cancel event.
 */
export function useModalDialog(open: boolean) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return ref;
}
