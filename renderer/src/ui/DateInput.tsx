import { useState, type InputHTMLAttributes, type Ref } from 'react';
import { isoToFrenchDate, parseFrenchDate } from '../format';
import { fr } from '../i18n/fr';

type Native = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'value' | 'onChange' | 'defaultValue'>;

/**
 * A date field that shows and accepts jj/mm/aaaa whatever the browser or OS locale (a native
 * <input type="date"> follows the locale: mm/dd/yyyy in an English Chromium). The value in and
 * out is the ISO day (`YYYY-MM-DD`, '' when empty), like the native field's, so forms keep their
 * state unchanged. Text that is not a calendar day is kept on screen, marked invalid, and reported
 * as '' — the form's own « date required » check then points at it.
 */
export function DateInput({ value, onChange, ...rest }: Native & { value: string; onChange: (iso: string) => void; ref?: Ref<HTMLInputElement> }) {
  const [text, setText] = useState(() => isoToFrenchDate(value));
  // The form changed the value itself (reset, draft restored): show it.
  const [shownFor, setShownFor] = useState(value);
  if (value !== shownFor) {
    setShownFor(value);
    if (parseFrenchDate(text) !== value) setText(isoToFrenchDate(value));
  }
  const parsed = parseFrenchDate(text);
  const invalid = parsed === null;
  return (
    <input
      {...rest}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder={fr.layout.dates.placeholder}
      data-date-input=""
      size={10}
      maxLength={10}
      value={text}
      aria-invalid={invalid || rest['aria-invalid'] === true || rest['aria-invalid'] === 'true' ? true : undefined}
      title={invalid ? fr.layout.dates.invalid : rest.title}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        const iso = parseFrenchDate(next) ?? '';
        setShownFor(iso);
        if (iso !== value) onChange(iso);
      }}
      onBlur={(e) => {
        const iso = parseFrenchDate(text);
        if (iso) setText(isoToFrenchDate(iso));
        rest.onBlur?.(e);
      }}
    />
  );
}
