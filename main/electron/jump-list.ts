/**
 * Windows jump list and macOS dock menu (issue 16, item 2): « Ouvrir Relais » and « Verrouiller »
 * one right-click away, as in the tray. A jump-list task starts `Relais.exe --relais-task=lock`:
 * with Relais running, the single-instance lock hands that argv to the running instance
 * ('second-instance'), which runs the task instead of treating it as a launch. Electron-free.
 */
export type ShellTask = 'open' | 'lock';

export const TASK_SWITCH = '--relais-task=';

export interface JumpTask {
  program: string;
  arguments: string;
  title: string;
  description: string;
  iconPath: string;
  iconIndex: number;
}

const LABELS: Record<ShellTask, { title: string; description: string }> = {
  open: { title: 'Ouvrir Relais', description: 'Afficher la fenêtre de Relais' },
  lock: { title: 'Verrouiller', description: 'Verrouiller Relais (le code de la carte sera demandé)' },
};

/** The tasks of `app.setUserTasks` (Windows); the program is the installed Relais.exe. */
export function jumpListTasks(program: string): JumpTask[] {
  return (['open', 'lock'] as const).map((task) => ({
    program,
    arguments: `${TASK_SWITCH}${task}`,
    ...LABELS[task],
    iconPath: program,
    iconIndex: 0,
  }));
}

/** The task a jump-list click asked for, or null (argv before `--` only: a URL never names one). */
export function taskFromArgv(argv: readonly string[]): ShellTask | null {
  const end = argv.indexOf('--');
  for (const arg of end >= 0 ? argv.slice(0, end) : argv) {
    if (!arg.startsWith(TASK_SWITCH)) continue;
    const task = arg.slice(TASK_SWITCH.length);
    return task === 'open' || task === 'lock' ? task : null;
  }
  return null;
}

/** The macOS dock menu: « Verrouiller » only while someone is signed in. */
export function dockItems(signedIn: boolean): Array<{ id: ShellTask; label: string }> {
  return [{ id: 'open', label: LABELS.open.title }, ...(signedIn ? [{ id: 'lock' as const, label: LABELS.lock.title }] : [])];
}
