import type { MachinePolicy } from '../../config/policy';

/**
 * Updates without Electron (issue 16, item 1): which feed, when to check, whether an offered
 * version may be taken, when it may be installed. The Electron adapter (electron-updater.ts)
 * and the plain-Node HTTP source (http-source.ts, used by tests and the packaging check) plug
 * into UpdateController; update-policy.test.ts runs it against a local update server.
 */
export const PUBLISHER_UPDATE_URL = 'https://maj.relais-sante.fr/desktop/';
export const CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

export type UpdateChannel = 'stable' | 'pilote';

export interface UpdateFeed {
  url: string;
  channel: UpdateChannel;
  /** electron-builder's channel file: latest.yml for stable, pilote.yml for pilote. */
  file: string;
}

/** The feed the policy allows, or null when updates are disabled (then nothing is ever fetched). */
export function updateFeed(policy: MachinePolicy, defaultUrl = PUBLISHER_UPDATE_URL): UpdateFeed | null {
  if (policy.updatesDisabled) return null;
  const channel = policy.updateChannel ?? 'stable';
  const url = policy.updateUrl ?? defaultUrl;
  return { url: url.endsWith('/') ? url : `${url}/`, channel, file: channel === 'stable' ? 'latest.yml' : `${channel}.yml` };
}

export interface UpdateFile {
  url: string;
  sha512: string;
  size?: number;
}

export interface UpdateInfo {
  version: string;
  files: UpdateFile[];
  releaseDate?: string;
}

/**
 * electron-builder's latest.yml (the subset it writes): `version`, `files: - url / sha512 / size`,
 * `path`, `sha512`, `releaseDate`. A file missing version or a sha512 is refused.
 */
export function parseLatestYml(text: string): UpdateInfo {
  const top: Record<string, string> = {};
  const files: UpdateFile[] = [];
  let current: Partial<UpdateFile> | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.trim().startsWith('#')) continue;
    const item = /^\s+-\s+(\w+):\s*(.*)$/.exec(raw);
    const nested = /^\s+(\w+):\s*(.*)$/.exec(raw);
    const flat = /^(\w+):\s*(.*)$/.exec(raw);
    if (item) {
      current = {};
      files.push(current as UpdateFile);
      assign(current, item[1]!, item[2]!);
    } else if (nested && current) assign(current, nested[1]!, nested[2]!);
    else if (flat) {
      current = null;
      top[flat[1]!] = unquote(flat[2]!);
    }
  }
  if (files.length === 0 && top.path && top.sha512) files.push({ url: top.path, sha512: top.sha512 });
  const version = top.version;
  if (!version || !parseVersion(version)) throw new Error('latest.yml: no valid version');
  if (files.length === 0 || files.some((f) => !f.url || !f.sha512)) throw new Error('latest.yml: every file needs url and sha512');
  return { version, files, ...(top.releaseDate ? { releaseDate: top.releaseDate } : {}) };
}

function assign(target: Partial<UpdateFile>, key: string, value: string): void {
  if (key === 'url' || key === 'sha512') target[key] = unquote(value);
  else if (key === 'size') target.size = Number(value);
}

function unquote(v: string): string {
  return v.trim().replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
}

function parseVersion(v: string): { nums: number[]; pre: string | null } | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(v.trim());
  return m ? { nums: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ?? null } : null;
}

/** Semantic version order (a pre-release sorts before its release). */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) throw new Error(`not a version: ${!x ? a : b}`);
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i]! - y.nums[i]!;
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** What must not be lost by a restart: the install waits while any of these is true. */
export interface WorkInProgress {
  /** Outbox items queued or sending (a post, a prescription, a referral not yet on the platform). */
  pendingOutbox: number;
  /** A prescription being signed (card PIN dialog open). */
  signing: boolean;
  /** A draft being typed right now (unsaved keystrokes). */
  editing: boolean;
}

export function installBlocker(work: WorkInProgress): string | null {
  if (work.pendingOutbox > 0) return `${work.pendingOutbox} envoi(s) en attente`;
  if (work.signing) return 'une ordonnance est en cours de signature';
  if (work.editing) return 'une saisie est en cours';
  return null;
}

/** Where updates come from: electron-updater in the shell, plain HTTP in tests. */
export interface UpdateSource {
  latest(feed: UpdateFeed): Promise<UpdateInfo>;
  /** Downloads the artefact and checks its sha512 (and, in the shell, its code signature); throws when they do not match. */
  download(feed: UpdateFeed, info: UpdateInfo, onProgress: (percent: number) => void): Promise<string>;
  /** Runs the downloaded installer (silent, then relaunch when asked). */
  install(file: string, relaunch: boolean): void;
}

export type UpdateState =
  | { status: 'disabled' }
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'up-to-date'; offered: string | null }
  | { status: 'refused'; reason: string }
  | { status: 'downloading'; version: string; percent: number }
  | { status: 'ready'; version: string; file: string }
  | { status: 'error'; message: string };

export interface UpdateControllerOptions {
  feed: UpdateFeed | null;
  currentVersion: string;
  source: UpdateSource;
  work: () => WorkInProgress;
  onState?: (state: UpdateState) => void;
  log?: (event: string, fields: Record<string, unknown>) => void;
  intervalMs?: number;
}

export class UpdateController {
  private state: UpdateState;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<UpdateState> | null = null;

  constructor(private readonly options: UpdateControllerOptions) {
    this.state = options.feed ? { status: 'idle' } : { status: 'disabled' };
  }

  get current(): UpdateState {
    return this.state;
  }

  /** Checks now and every 6 h. Disabled by policy: no timer, no request, ever. */
  start(): void {
    if (!this.options.feed || this.timer) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  check(): Promise<UpdateState> {
    this.running ??= this.runCheck().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runCheck(): Promise<UpdateState> {
    const feed = this.options.feed;
    if (!feed) return this.state;
    if (this.state.status === 'ready') return this.state;
    this.set({ status: 'checking' });
    try {
      const info = await this.options.source.latest(feed);
      const order = compareVersions(info.version, this.options.currentVersion);
      if (order === 0) return this.set({ status: 'up-to-date', offered: info.version });
      // A downgrade is refused whatever the server says (a replayed old latest.yml, a mistake).
      if (order < 0) return this.set({ status: 'refused', reason: `version ${info.version} plus ancienne que ${this.options.currentVersion}` });
      this.set({ status: 'downloading', version: info.version, percent: 0 });
      const file = await this.options.source.download(feed, info, (percent) => {
        if (this.state.status === 'downloading') this.set({ ...this.state, percent: Math.round(percent) });
      });
      return this.set({ status: 'ready', version: info.version, file });
    } catch (error) {
      const message = String((error as Error)?.message ?? error).slice(0, 200);
      return this.set(/sha512|signature|checksum/i.test(message) ? { status: 'refused', reason: message } : { status: 'error', message });
    }
  }

  /**
   * On quit, or on « Redémarrer pour mettre à jour »: installs a ready update unless work is in
   * progress. Answers why it waits (null when it installed or there is nothing to install).
   */
  installIfReady(relaunch: boolean): { installed: boolean; waitingFor: string | null } {
    if (this.state.status !== 'ready') return { installed: false, waitingFor: null };
    const blocker = installBlocker(this.options.work());
    if (blocker) {
      this.options.log?.('update.install-delayed', { reason: blocker, version: this.state.version });
      return { installed: false, waitingFor: blocker };
    }
    this.options.log?.('update.install', { version: this.state.version, relaunch });
    this.options.source.install(this.state.file, relaunch);
    return { installed: true, waitingFor: null };
  }

  private set(state: UpdateState): UpdateState {
    this.state = state;
    this.options.log?.('update.state', { ...state });
    this.options.onState?.(state);
    return state;
  }
}
