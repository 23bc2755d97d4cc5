import type { Ref } from 'react';

/**
 * The CPS / CPE PIN field of the sign-in screen and the lock panel: digits only (4 to 8), never
 * autocompleted, a numeric keypad on touch screens.
 */
export function PinInput({ id, inputRef, value, onChange, invalid }: { id: string; inputRef: Ref<HTMLInputElement>; value: string; onChange: (pin: string) => void; invalid: boolean }) {
  return (
    <input
      id={id}
      ref={inputRef}
      type="password"
      inputMode="numeric"
      autoComplete="off"
      pattern="[0-9]{4,8}"
      maxLength={8}
      value={value}
      onChange={(e) => onChange(e.target.value.replace(/[^0-9]/g, ''))}
      aria-invalid={invalid}
    />
  );
}
