import type { ApiMethod, Result, Transport } from './contract';

/**
 * How the renderer reaches the core. Two hosts, one contract:
 * - Electron: the preload exposes `window.relais` (IPC);
 * - web host: a WebSocket to `ws://<host>/api?token=…`, the token handed over in the URL
 *   fragment of the page that the host opened (`#token=…`).
 * Values stay `unknown` here; the contract client parses every response and event.
 */

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface RendererTransport extends Transport {
  /** A URL the page may load for an attachment (`relais-media:` in Electron, `/media?…` on the web). */
  mediaUrl(src: string): string;
  readonly status: ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

/** What the Electron preload exposes on `window.relais`. */
export interface RelaisBridge {
  invoke(method: string, payload: unknown): Promise<unknown>;
  onEvent(cb: (event: unknown) => void): () => void;
  mediaUrl(src: string): string;
}

function isBridge(value: unknown): value is RelaisBridge {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.invoke === 'function' && typeof v.onEvent === 'function' && typeof v.mediaUrl === 'function';
}

export function createElectronTransport(bridge: RelaisBridge): RendererTransport {
  return {
    invoke: (method, payload) => bridge.invoke(method, payload),
    subscribe: (listener) => bridge.onEvent(listener),
    mediaUrl: (src) => bridge.mediaUrl(src),
    status: 'open',
    onStatus: () => () => {},
  };
}

const TOKEN_KEY = 'relais.token';

/**
 * Reads the web host's token from `#token=…`, removes it from the visible URL (history, screen
 * shares, bookmarks) and keeps it for this tab only so that a reload still works.
 */
export function takeToken(loc: Location, history: History, storage: Storage | null): string | null {
  const hash = loc.hash.startsWith('#') ? loc.hash.slice(1) : loc.hash;
  const fromHash = new URLSearchParams(hash).get('token');
  if (fromHash) {
    try {
      storage?.setItem(TOKEN_KEY, fromHash);
    } catch {
      // Storage disabled: the token still lives in memory for this page's lifetime.
    }
    history.replaceState(history.state, '', loc.pathname + loc.search);
    return fromHash;
  }
  try {
    return storage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

export const TRANSPORT_CLOSED: Result<never> = {
  ok: false,
  error: { code: 'INTERNAL', message: 'transport closed' },
};

export interface WebSocketTransportOptions {
  url: string;
  token: string;
  origin: string;
  /**
   * Trades the token for the HttpOnly `/media` cookie (main/web/media-route.ts) before the first
   * connection, so attachment URLs never carry the token (issue 11).
   */
  openMediaSession?: () => Promise<unknown>;
  /** Injected in tests. */
  createSocket?: (url: string) => WebSocket;
  minDelayMs?: number;
  maxDelayMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
}

/**
 * JSON text frames: `{id, method, payload}` out; `{id, result}` or `{event}` in. Calls made while
 * the socket is connecting wait for it; calls in flight when it closes, or made while it is down,
 * resolve to an INTERNAL "transport closed" Result (the UI retries on reconnection). Reconnects
 * with exponential backoff and jitter.
 */
export function createWebSocketTransport(options: WebSocketTransportOptions): RendererTransport {
  const { url, origin } = options;
  const createSocket = options.createSocket ?? ((u: string) => new WebSocket(u));
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 10_000;

  const eventListeners = new Set<(event: unknown) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const pending = new Map<number, Pending>();
  let queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let status: ConnectionStatus = 'connecting';
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function setStatus(next: ConnectionStatus): void {
    if (status === next) return;
    status = next;
    for (const l of statusListeners) l(next);
  }

  function failAll(): void {
    const waiting = [...pending.values()];
    pending.clear();
    queue = [];
    for (const p of waiting) p.resolve(TRANSPORT_CLOSED);
  }

  function connect(): void {
    timer = null;
    setStatus('connecting');
    let ws: WebSocket;
    try {
      ws = createSocket(url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      attempt = 0;
      setStatus('open');
      const toSend = queue;
      queue = [];
      for (const frame of toSend) ws.send(frame);
    };
    ws.onmessage = (message: MessageEvent) => {
      if (socket !== ws || typeof message.data !== 'string') return;
      let frame: unknown;
      try {
        frame = JSON.parse(message.data);
      } catch {
        console.warn('relais: ignored a non-JSON frame from the web host');
        return;
      }
      if (typeof frame !== 'object' || frame === null) return;
      const f = frame as { id?: unknown; result?: unknown; event?: unknown };
      if (typeof f.id === 'number' && 'result' in f) {
        const p = pending.get(f.id);
        if (p) {
          pending.delete(f.id);
          p.resolve(f.result);
        }
      } else if ('event' in f) {
        for (const l of eventListeners) l(f.event);
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      failAll();
      setStatus('closed');
      scheduleReconnect();
    };
    ws.onerror = () => {
      // A close event always follows; reconnection is handled there.
    };
  }

  function scheduleReconnect(): void {
    if (timer !== null) return;
    const base = Math.min(maxDelay, minDelay * 2 ** attempt);
    attempt += 1;
    const delay = base / 2 + Math.random() * (base / 2);
    timer = setTimeout(connect, delay);
  }

  // Calls made before the first socket exists wait in the queue (sent on open).
  let starting = options.openMediaSession !== undefined;
  if (options.openMediaSession) {
    // The window asks for attachments only after the socket answers: the cookie is set by then.
    void options
      .openMediaSession()
      .catch(() => console.warn('relais: media session refused; attachments will not load'))
      .finally(() => {
        starting = false;
        connect();
      });
  } else connect();

  return {
    get status() {
      return status;
    },
    invoke(method: ApiMethod, payload: unknown): Promise<unknown> {
      if (status === 'closed' || (socket === null && !starting)) return Promise.resolve(TRANSPORT_CLOSED);
      const id = nextId++;
      const frame = JSON.stringify({ id, method, payload });
      return new Promise((resolve) => {
        pending.set(id, { resolve });
        if (status === 'open' && socket?.readyState === 1 /* OPEN */) socket.send(frame);
        else queue.push(frame);
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    mediaUrl(src: string): string {
      return `${origin}/media?src=${encodeURIComponent(src)}`;
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
  };
}

function sessionStorageOf(win: Window): Storage | null {
  try {
    return win.sessionStorage;
  } catch {
    // Storage blocked (privacy settings): the token lives in memory only.
    return null;
  }
}

export class MissingTokenError extends Error {
  constructor() {
    super('web host token missing from the page URL');
    this.name = 'MissingTokenError';
  }
}

/** Picks the host's transport: the preload bridge when present, else the web host's WebSocket. */
export function createTransport(win: Window & { relais?: unknown } = window): RendererTransport {
  if (isBridge(win.relais)) return createElectronTransport(win.relais);
  const token = takeToken(win.location, win.history, sessionStorageOf(win));
  if (!token) throw new MissingTokenError();
  const wsScheme = win.location.protocol === 'https:' ? 'wss' : 'ws';
  return createWebSocketTransport({
    url: `${wsScheme}://${win.location.host}/api?token=${encodeURIComponent(token)}`,
    token,
    openMediaSession: () =>
      win.fetch('/media/session', { headers: { authorization: `Bearer ${token}` }, credentials: 'same-origin', cache: 'no-store' }).then((res) => {
        if (!res.ok) throw new Error(`media session: HTTP ${res.status}`);
      }),
    // Relative to the page: '' keeps `/media?…` on the web host's origin.
    origin: '',
  });
}
