/**
 * A recording stand-in for the 'electron' module (issue 16, item 0). Loaded with
 * `node --expose-gc -r test/electron/fake-electron.cjs dist/electron/main.cjs` through fork():
 * the BUILT shell runs under Node against it. Every call is recorded with the phase it happened
 * in (before / after `ready`) and sent to the test; misuse is reported as a violation:
 *   - privileged schemes registered after ready, userData set after ready;
 *   - protocol handlers, IPC handlers, session handlers, windows, trays before ready;
 *   - an IPC channel handled twice;
 *   - a Notification garbage-collected before it was clicked or closed (its click would be lost).
 * The test drives it with messages: second-instance, close-window, click-notification,
 * tray-click (a menu label), dock-click (a macOS dock-menu label), invoke (an API method through
 * the registered IPC handler), gc. FAKE_ELECTRON_OS=win32 / darwin adds that OS's app APIs.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload module for node -r */
'use strict';
const Module = require('node:module');
const { EventEmitter } = require('node:events');

const scenario = process.env.FAKE_ELECTRON_SCENARIO || 'first-start';
let ready = false;
const send = (msg) => {
  try {
    if (process.connected) process.send(msg);
  } catch {
    /* the test went away */
  }
};
const record = (api, detail = {}) => send({ type: 'record', api, phase: ready ? 'after-ready' : 'before-ready', detail });
const violation = (message) => send({ type: 'violation', message });
const requireReady = (api) => {
  if (!ready) violation(`${api} called before app ready`);
};

// ------------------------------------------------------------------ app
const app = new EventEmitter();
let readyResolve;
const readyPromise = new Promise((r) => (readyResolve = r));
const paths = { userData: '/nonexistent/userData', appData: '/nonexistent', temp: require('node:os').tmpdir() };
let loginItem = { openAtLogin: false };
Object.assign(app, {
  isPackaged: false,
  requestSingleInstanceLock() {
    record('app.requestSingleInstanceLock');
    return scenario !== 'lost-lock';
  },
  whenReady() {
    record('app.whenReady');
    return readyPromise;
  },
  isReady: () => ready,
  getVersion: () => '0.1.0',
  getName: () => 'Relais',
  getPath(name) {
    return paths[name] || paths.userData;
  },
  setPath(name, value) {
    record('app.setPath', { name, value });
    if (ready && name === 'userData') violation('app.setPath(userData) after ready');
    paths[name] = value;
  },
  setAppUserModelId: (id) => record('app.setAppUserModelId', { id }),
  isDefaultProtocolClient: () => false,
  setAsDefaultProtocolClient: (...args) => record('app.setAsDefaultProtocolClient', { args }),
  setBadgeCount: (count) => record('app.setBadgeCount', { count }),
  getLoginItemSettings: () => loginItem,
  setLoginItemSettings: (s) => {
    record('app.setLoginItemSettings', s);
    loginItem = { ...loginItem, ...s };
  },
  quit() {
    record('app.quit');
    let prevented = false;
    app.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    app.emit('will-quit', { preventDefault() {} });
    finish(0);
  },
  exit(code) {
    record('app.exit', { code });
    finish(code);
  },
});
const originalOn = app.on.bind(app);
app.on = (event, fn) => {
  record('app.on', { event });
  return originalOn(event, fn);
};

function finish(code) {
  send({ type: 'exit', code });
  setTimeout(() => process.exit(code), 50);
}

// ------------------------------------------------------------------ protocol, ipc, session
const protocolHandlers = new Map();
const protocol = {
  registerSchemesAsPrivileged(schemes) {
    record('protocol.registerSchemesAsPrivileged', { schemes: schemes.map((s) => s.scheme) });
    if (ready) violation('protocol.registerSchemesAsPrivileged after ready');
  },
  handle(scheme, fn) {
    record('protocol.handle', { scheme });
    requireReady(`protocol.handle(${scheme})`);
    protocolHandlers.set(scheme, fn);
  },
};

const ipcHandlers = new Map();
const ipcMain = {
  handle(channel, fn) {
    record('ipcMain.handle', { channel });
    requireReady(`ipcMain.handle(${channel})`);
    if (ipcHandlers.has(channel)) violation(`duplicate IPC channel ${channel}`);
    ipcHandlers.set(channel, fn);
  },
  on(channel) {
    record('ipcMain.on', { channel });
    requireReady(`ipcMain.on(${channel})`);
  },
};

const defaultSession = new EventEmitter();
Object.assign(defaultSession, {
  setPermissionRequestHandler: () => (record('session.setPermissionRequestHandler'), requireReady('session.setPermissionRequestHandler')),
  setPermissionCheckHandler: () => (record('session.setPermissionCheckHandler'), requireReady('session.setPermissionCheckHandler')),
  setProxy: async (config) => (record('session.setProxy', config), requireReady('session.setProxy')),
  resolveProxy: async () => 'DIRECT',
});
const session = { defaultSession };
const net = { fetch: (...args) => (record('net.fetch'), globalThis.fetch(...args)) };

// ------------------------------------------------------------------ windows, screen, tray, menu
const windows = [];
const display = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, scaleFactor: 1 };
const screen = { getAllDisplays: () => [display], getPrimaryDisplay: () => display, getDisplayMatching: () => display };

class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    requireReady('new BrowserWindow');
    const { webPreferences, ...rest } = options;
    record('BrowserWindow.new', { webPreferences: { ...webPreferences }, bounds: { x: rest.x, y: rest.y, width: rest.width, height: rest.height }, show: rest.show });
    this.visible = false;
    this.bounds = { x: rest.x ?? 0, y: rest.y ?? 0, width: rest.width ?? 800, height: rest.height ?? 600 };
    const contents = new EventEmitter();
    contents.send = (channel, payload) => record('webContents.send', { channel, type: payload && payload.type, code: payload && payload.error && payload.error.code });
    contents.setWindowOpenHandler = () => record('webContents.setWindowOpenHandler');
    contents.downloadURL = (url) => record('webContents.downloadURL', { url });
    contents.isDestroyed = () => false;
    this.webContents = contents;
    windows.push(this);
  }
  loadURL(url) {
    record('BrowserWindow.loadURL', { url });
    setTimeout(() => {
      this.webContents.emit('did-finish-load');
      this.emit('ready-to-show');
    }, 10);
    return Promise.resolve();
  }
  show() {
    record('BrowserWindow.show');
    this.visible = true;
  }
  showInactive() {
    record('BrowserWindow.showInactive');
    this.visible = true;
  }
  hide() {
    record('BrowserWindow.hide');
    this.visible = false;
  }
  focus() {
    record('BrowserWindow.focus');
  }
  moveTop() {
    record('BrowserWindow.moveTop');
  }
  restore() {
    record('BrowserWindow.restore');
  }
  isVisible() {
    return this.visible;
  }
  isMinimized() {
    return false;
  }
  isFullScreen() {
    return false;
  }
  isDestroyed() {
    return false;
  }
  getBounds() {
    return { ...this.bounds };
  }
  setBounds(b) {
    record('BrowserWindow.setBounds', b);
    this.bounds = { ...b };
  }
  setAlwaysOnTop(on) {
    record('BrowserWindow.setAlwaysOnTop', { on });
  }
  close() {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    record('BrowserWindow.close', { prevented });
  }
  static getAllWindows() {
    return windows;
  }
}

const trays = [];
class Tray extends EventEmitter {
  constructor() {
    super();
    requireReady('new Tray');
    record('Tray.new');
    this.menu = null;
    trays.push(this);
  }
  setContextMenu(menu) {
    this.menu = menu;
    record('Tray.setContextMenu', { labels: menu.items.filter((i) => i.label).map((i) => i.label) });
  }
  setToolTip(text) {
    record('Tray.setToolTip', { text });
  }
  destroy() {
    record('Tray.destroy');
  }
}
// ------------------------------------------------------------------ OS-specific app APIs
// Electron defines app.setUserTasks on Windows only and app.dock on macOS only: FAKE_ELECTRON_OS
// (win32 / darwin) adds the one that OS has, so the shell's feature detection is exercised too.
const fakeOs = process.env.FAKE_ELECTRON_OS || process.platform;
let dockMenu = null;
if (fakeOs === 'win32') {
  app.setUserTasks = (tasks) => {
    requireReady('app.setUserTasks');
    record('app.setUserTasks', { tasks: tasks.map((t) => ({ title: t.title, arguments: t.arguments, program: t.program })) });
    return true;
  };
}
if (fakeOs === 'darwin') {
  app.dock = {
    setMenu(menu) {
      requireReady('app.dock.setMenu');
      dockMenu = menu;
      record('app.dock.setMenu', { labels: menu.items.filter((i) => i.label).map((i) => i.label) });
    },
    setBadge: () => undefined,
    show: async () => undefined,
    hide: () => undefined,
  };
}

const Menu = {
  buildFromTemplate: (items) => ({ items }),
  setApplicationMenu: () => record('Menu.setApplicationMenu'),
};
const nativeImage = { createFromPath: (p) => ({ path: p, setTemplateImage() {}, isEmpty: () => false }) };

// ------------------------------------------------------------------ notifications
// WeakRefs only: the fake must not keep a Notification alive, so a shell that drops its
// reference loses it to the collector, exactly as with Electron.
const notificationRefs = [];
const finalized = new FinalizationRegistry((title) => {
  if (!settledNotifications.has(title)) violation(`Notification « ${title} » garbage-collected before it was clicked or closed`);
});
const settledNotifications = new Set();
class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options) {
    super();
    requireReady('new Notification');
    this.title = options.title;
    record('Notification.new', { title: options.title });
    finalized.register(this, options.title);
    notificationRefs.push(new WeakRef(this));
  }
  show() {
    record('Notification.show', { title: this.title });
  }
}

const dialog = {
  showErrorBox: (title, content) => record('dialog.showErrorBox', { title, content }),
  showMessageBox: async (...args) => (record('dialog.showMessageBox', { message: (args.at(-1) || {}).message }), { response: 0 }),
  showSaveDialog: async () => (process.env.FAKE_ELECTRON_SAVE_PATH ? { canceled: false, filePath: process.env.FAKE_ELECTRON_SAVE_PATH } : { canceled: true }),
};
const shell = { openExternal: async (url) => record('shell.openExternal', { url }), showItemInFolder: (p) => record('shell.showItemInFolder', { path: p }) };
const safeStorage = {
  isEncryptionAvailable: () => false,
  getSelectedStorageBackend: () => 'basic_text',
  encryptString: (s) => Buffer.from(s),
  decryptString: (b) => b.toString(),
};
const powerMonitor = new EventEmitter();

const fake = { app, protocol, ipcMain, session, net, screen, BrowserWindow, Tray, Menu, nativeImage, Notification, dialog, shell, safeStorage, powerMonitor };
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'electron') return fake;
  return load.call(this, request, ...rest);
};

// ------------------------------------------------------------------ the test's commands
process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'second-instance') app.emit('second-instance', { preventDefault() {} }, msg.argv, process.cwd());
    else if (msg.cmd === 'close-window') windows[0]?.close();
    else if (msg.cmd === 'gc') {
      for (let i = 0; i < 5; i++) {
        global.gc();
        await new Promise((r) => setTimeout(r, 20));
      }
      send({ type: 'gc-done', alive: notificationRefs.filter((r) => r.deref()).length });
    } else if (msg.cmd === 'click-notification') {
      const n = notificationRefs.map((r) => r.deref()).filter(Boolean).at(-1);
      if (n) {
        settledNotifications.add(n.title);
        n.emit('click');
      }
      send({ type: 'clicked', found: Boolean(n) });
    } else if (msg.cmd === 'tray-click') {
      const item = trays[0] && trays[0].menu.items.find((i) => i.label === msg.label);
      if (!item) return send({ type: 'tray-clicked', found: false });
      item.click();
      send({ type: 'tray-clicked', found: true });
    } else if (msg.cmd === 'dock-click') {
      const item = dockMenu && dockMenu.items.find((i) => i.label === msg.label);
      if (!item) return send({ type: 'dock-clicked', found: false });
      item.click();
      send({ type: 'dock-clicked', found: true });
    } else if (msg.cmd === 'invoke') {
      const handler = ipcHandlers.get('relais:invoke');
      const result = handler ? await handler({ senderFrame: { url: 'relais-app://bundle/index.html', parent: null } }, msg.method, msg.payload) : null;
      send({ type: 'invoked', id: msg.id, result });
    } else if (msg.cmd === 'fetch-app') {
      const handler = protocolHandlers.get('relais-app');
      const res = await handler(new Request(`relais-app://bundle${msg.path || '/index.html'}`));
      send({ type: 'fetched', status: res.status, csp: res.headers.get('content-security-policy') });
    }
  } catch (error) {
    send({ type: 'harness-error', message: String(error && error.stack || error) });
  }
});

// `ready` once the main module has run its top level (as Electron does after loading main).
setImmediate(() => {
  setTimeout(() => {
    ready = true;
    record('app.ready');
    app.emit('ready');
    readyResolve();
  }, 20);
});
