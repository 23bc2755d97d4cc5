import { app, Menu } from 'electron';
import { dockItems, jumpListTasks, type ShellTask } from './jump-list';

/**
 * The Electron side of jump-list.ts. Feature-detected, not OS-tested: Electron defines
 * `app.setUserTasks` on Windows only and `app.dock` on macOS only.
 */
export function installJumpList(): boolean {
  if (typeof app.setUserTasks !== 'function') return false;
  return app.setUserTasks(jumpListTasks(process.execPath));
}

export function updateDockMenu(signedIn: boolean, run: (task: ShellTask) => void): void {
  if (!app.dock) return;
  app.dock.setMenu(Menu.buildFromTemplate(dockItems(signedIn).map((item) => ({ label: item.label, click: () => run(item.id) }))));
}
