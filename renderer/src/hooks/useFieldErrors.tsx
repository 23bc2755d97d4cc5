import { useState } from 'react';
import type { RelaisErrorShape } from '../contract';
import { errorMessage } from '../i18n/fr';

/**
 * Per-field complaints of a form dialog (appointment, admission, referral, prescription): the ones
 * found on submit, those a controller keeps (the prescription is checked as it is typed), and the
 * platform's refusal when it names a field. A complaint found on submit goes as soon as its field
 * is edited (it is checked again on submit); the first wrong field, in form order, gets the focus.
 * Field `f` has the DOM id `${id}-${f}`, its complaint `${id}-${f}-error`.
 */
export function useFieldErrors<F extends string>(
  id: string,
  refusal: { field: F | null; error: RelaisErrorShape | null },
  options: {
    /** Complaints owned by a controller rather than found by the form on submit. */
    complaints?: Partial<Record<F, string>>;
    /** Class of the complaint paragraph (the prescription's fields have their own layout). */
    errorClass?: string;
  } = {},
) {
  const [invalid, setInvalid] = useState<Partial<Record<F, string>>>({});
  const edited = (f: F) => setInvalid((v) => (v[f] ? { ...v, [f]: undefined } : v));
  const fieldError = (f: F): string | undefined =>
    options.complaints?.[f] ?? invalid[f] ?? (refusal.field === f && refusal.error ? errorMessage(refusal.error.code) : undefined);
  /** aria-describedby: the complaint, then an optional hint. */
  const describe = (f: F, hint?: string) =>
    [fieldError(f) ? `${id}-${f}-error` : null, hint ?? null].filter(Boolean).join(' ') || undefined;
  const errorText = (f: F) =>
    fieldError(f) ? (
      <p className={options.errorClass ?? 'form-error'} id={`${id}-${f}-error`}>
        {fieldError(f)}
      </p>
    ) : null;
  /** Moves the focus to the first of these fields that has a complaint; false when there is one. */
  const focusFirst = (problems: Partial<Record<F, string>>, order: readonly F[]): boolean => {
    const first = order.find((f) => problems[f]);
    if (first === undefined) return true;
    document.getElementById(`${id}-${first}`)?.focus();
    return false;
  };
  /** Shows these problems; false (and the focus on the first, in `order`) when there is any. */
  const accept = (problems: Partial<Record<F, string>>, order: readonly F[]): boolean => {
    setInvalid(problems);
    return focusFirst(problems, order);
  };
  return { edited, fieldError, describe, errorText, accept, focusFirst };
}
