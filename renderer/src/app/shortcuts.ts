/**
 * The window's keyboard shortcuts (issue 12, « Raccourcis »). Alt+letter works the same on
 * AZERTY and QWERTY (the letter is read from `key`, or from the physical key when Alt turns it
 * into another character, as on macOS); « / » only outside text fields, so it can be typed.
 */
export type ShortcutAction = 'search' | 'message' | 'nextUnread' | 'ordonnance' | 'patients' | 'panels' | 'lock' | 'help';

export interface ShortcutDoc {
  action: ShortcutAction | 'publish' | 'close';
  keys: string[];
}

/** What the « Raccourcis » sheet lists, in this order. */
export const SHORTCUTS: readonly ShortcutDoc[] = [
  { action: 'search', keys: ['/', 'Ctrl+K'] },
  { action: 'message', keys: ['Alt+N'] },
  { action: 'publish', keys: ['Ctrl+Entrée'] },
  { action: 'nextUnread', keys: ['Alt+U'] },
  { action: 'ordonnance', keys: ['Alt+O'] },
  { action: 'patients', keys: ['Alt+P'] },
  { action: 'panels', keys: ['Alt+S'] },
  { action: 'lock', keys: ['Alt+L'] },
  { action: 'help', keys: ['F1', '?'] },
  { action: 'close', keys: ['Échap'] },
];

const ALT_LETTERS: Record<string, ShortcutAction> = {
  n: 'message',
  u: 'nextUnread',
  o: 'ordonnance',
  p: 'patients',
  s: 'panels',
  l: 'lock',
};

export interface KeyLike {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** The event happened in a field where « / » and « ? » are text. */
  inTextField: boolean;
}

function letterOf(e: KeyLike): string {
  if (/^[a-z]$/i.test(e.key)) return e.key.toLowerCase();
  return e.code.startsWith('Key') ? e.code.slice(3).toLowerCase() : '';
}

export function shortcutOf(e: KeyLike): ShortcutAction | null {
  if (e.key === 'F1' && !e.altKey && !e.ctrlKey && !e.metaKey) return 'help';
  if (e.altKey && !e.ctrlKey && !e.metaKey) return ALT_LETTERS[letterOf(e)] ?? null;
  if ((e.ctrlKey || e.metaKey) && !e.altKey && letterOf(e) === 'k') return 'search';
  if (e.inTextField || e.altKey || e.ctrlKey || e.metaKey) return null;
  if (e.key === '/') return 'search';
  if (e.key === '?') return 'help';
  return null;
}

export function isTextField(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file'].includes(type);
}
