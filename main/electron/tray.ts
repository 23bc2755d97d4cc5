import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import { INITIAL_TRAY_STATE, trayItems, trayTooltip, type TrayAction, type TrayState } from './tray-menu';

/**
 * The tray icon, created right after `ready` and before anything can update it (the tooltip and
 * badge updates of alerts used to reach a tray that did not exist yet). macOS gets a template
 * image; Linux's AppIndicator delivers no `click`, so the menu's first item opens the window.
 */
export class RelaisTray {
  private readonly tray: Tray;
  private state: TrayState = { ...INITIAL_TRAY_STATE };

  constructor(iconPath: string, private readonly actions: Record<TrayAction, () => void>) {
    const image = nativeImage.createFromPath(iconPath);
    if (process.platform === 'darwin') image.setTemplateImage(true);
    this.tray = new Tray(image);
    this.tray.on('click', () => actions.open());
    this.render();
  }

  update(patch: Partial<TrayState>): void {
    this.state = { ...this.state, ...patch };
    this.render();
  }

  get current(): TrayState {
    return this.state;
  }

  private render(): void {
    const template: MenuItemConstructorOptions[] = [];
    for (const item of trayItems(this.state)) {
      if (item.separatorBefore) template.push({ type: 'separator' });
      const entry: MenuItemConstructorOptions = { label: item.label, enabled: item.enabled ?? true };
      if (item.checked !== undefined) Object.assign(entry, { type: 'checkbox', checked: item.checked });
      if (item.id !== 'info') {
        const action = this.actions[item.id];
        entry.click = () => action();
      }
      template.push(entry);
    }
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
    this.tray.setToolTip(trayTooltip(this.state));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
