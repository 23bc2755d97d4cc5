import { useState } from 'react';
import type { RelaisErrorShape } from '../contract';
import { errorMessage } from '../i18n/fr';

/**
 * Per-field complaints of a form dialog (appointment, admission, referral): the ones found on
 * submit, and the platform's refusal when it names a field. A complaint goes as soon as its field
 * is edited (it is checked again on submit); the first wrong field, in form order, gets the focus.
 */
export function useFieldErrors<F extends string>(
  id: string,
  refusal: { field: F | null; error: RelaisErrorShape | null },
) {
  const [invalid, setInvalid] = useState<Partial<Record<F, string>>>({});
  const edited = (f: F) => setInvalid((v) => (v[f] ? { ...v, [f]: undefined } : v));
  const fieldError = (f: F): string | undefined =>
    invalid[f] ?? (refusal.field === f && refusal.error ? errorMessage(refusal.error.code) : undefined);
  /** aria-describedby: the complaint, then an optional hint. */
  const describe = (f: F, hint?: string) =>
    [fieldError(f) ? `${id}-${f}-error` : null, hint ?? null].filter(Boolean).join(' ') || undefined;
  const errorText = (f: F) =>
    fieldError(f) ? (
      <p className="form-error" id={`${id}-${f}-error`}>
        {fieldError(f)}
      </p>
    ) : null;
  /** Shows these problems; false (and the focus on the first, in `order`) when there is any. */
  const accept = (problems: Partial<Record<F, string>>, order: readonly F[]): boolean => {
    setInvalid(problems);
    const first = order.find((f) => problems[f]);
    if (first === undefined) return true;
    document.getElementById(`${id}-${first}`)?.focus();
    return false;
  };
  return { edited, fieldError, describe, errorText, accept };
}
