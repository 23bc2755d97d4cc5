import { describe, expect, it } from 'vitest';
import { shortcutOf, SHORTCUTS, type KeyLike } from './shortcuts';
import { fr } from '../i18n/fr';

const key = (k: Partial<KeyLike> & { key: string }): KeyLike => ({
  code: '',
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  inTextField: false,
  ...k,
});

describe('keyboard shortcuts', () => {
  it('maps Alt+letter by the letter, or by the physical key when Alt changed the character (macOS)', () => {
    expect(shortcutOf(key({ key: 'n', altKey: true }))).toBe('message');
    expect(shortcutOf(key({ key: 'O', altKey: true, shiftKey: true }))).toBe('ordonnance');
    expect(shortcutOf(key({ key: '¬', code: 'KeyL', altKey: true }))).toBe('lock');
    expect(shortcutOf(key({ key: 'x', altKey: true }))).toBeNull();
  });

  it('keeps « / » and « ? » as text inside a field, but Ctrl+K and F1 work everywhere', () => {
    expect(shortcutOf(key({ key: '/' }))).toBe('search');
    expect(shortcutOf(key({ key: '/', inTextField: true }))).toBeNull();
    expect(shortcutOf(key({ key: '?', inTextField: true }))).toBeNull();
    expect(shortcutOf(key({ key: 'k', ctrlKey: true, inTextField: true }))).toBe('search');
    expect(shortcutOf(key({ key: 'F1', inTextField: true }))).toBe('help');
    expect(shortcutOf(key({ key: 'n', ctrlKey: true }))).toBeNull();
  });

  it('documents every shortcut in French', () => {
    for (const s of SHORTCUTS) expect(fr.layout.shortcuts.list[s.action]).toMatch(/\w/);
  });
});
