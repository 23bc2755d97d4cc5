import { useId, type ReactNode } from 'react';
import { useModalDialog } from '../hooks/useModalDialog';
import { useCloseWhenChartHeld } from './chart-held';

/**
 * The modal form dialogs of the patient window (appointment, cancellation, admission, referral,
 * prescription): a native <dialog>, Escape closes through `onClose`, and the form is mounted only
 * while open, so each opening starts from fresh fields — a refused request keeps its fields (the
 * dialog stays open).
 */
export function FormDialog({
  open,
  testId,
  wide = false,
  className,
  onClose,
  children,
}: {
  open: boolean;
  testId: string;
  wide?: boolean;
  /** Replaces the agenda dialogs' classes (the prescription composer has its own layout). */
  className?: string;
  onClose: () => void;
  /** The form, given the id its title must carry (the dialog is labelled by it). */
  children: (titleId: string) => ReactNode;
}) {
  const ref = useModalDialog(open);
  // A held chart closes its dialogs so its notice is seen (issue 15).
  useCloseWhenChartHeld(open, onClose);
  const id = useId();
  return (
    <dialog
      ref={ref}
      className={className ?? `agenda-dialog${wide ? ' agenda-dialog--wide' : ''}`}
      aria-labelledby={`${id}-title`}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && children(`${id}-title`)}
    </dialog>
  );
}
