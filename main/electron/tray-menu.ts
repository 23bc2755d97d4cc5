/** The tray menu as data (labels in French), turned into an Electron Menu by the shell. */
export interface TrayItem {
  id: 'open' | 'lock' | 'quit';
  label: string;
}

export const TRAY_ITEMS: readonly TrayItem[] = [
  { id: 'open', label: 'Ouvrir' },
  { id: 'lock', label: 'Verrouiller' },
  { id: 'quit', label: 'Quitter' },
];
