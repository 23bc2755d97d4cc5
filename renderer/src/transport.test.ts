import { describe, expect, it, vi } from 'vitest';
import { createWebSocketTransport, takeToken, TRANSPORT_CLOSED } from './transport';

class FakeSocket {
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {}
  send(frame: string) {
    this.sent.push(frame);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const transport = createWebSocketTransport({
    url: 'ws://127.0.0.1:1234/api?token=t',
    token: 't k',
    origin: '',
    minDelayMs: 10,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s as unknown as WebSocket;
    },
  });
  return { transport, sockets };
}

describe('web socket transport', () => {
  it('queues calls while connecting and matches replies by id', async () => {
    const { transport, sockets } = setup();
    const reply = transport.invoke('session.current', {});
    const s = sockets[0]!;
    expect(s.sent).toEqual([]);
    s.open();
    const frame = JSON.parse(s.sent[0]!);
    expect(frame).toMatchObject({ method: 'session.current', payload: {} });
    s.receive({ id: frame.id, result: { ok: true, value: 42 } });
    await expect(reply).resolves.toEqual({ ok: true, value: 42 });
  });

  it('forwards events to subscribers', () => {
    const { transport, sockets } = setup();
    const seen: unknown[] = [];
    transport.subscribe((e) => seen.push(e));
    sockets[0]!.open();
    sockets[0]!.receive({ event: { type: 'launch-failed' } });
    expect(seen).toEqual([{ type: 'launch-failed' }]);
  });

  it('resolves pending calls to "transport closed" and reconnects with backoff', async () => {
    vi.useFakeTimers();
    try {
      const { transport, sockets } = setup();
      sockets[0]!.open();
      const reply = transport.invoke('patient.list', {});
      sockets[0]!.close();
      await expect(reply).resolves.toEqual(TRANSPORT_CLOSED);
      expect(transport.status).toBe('closed');
      await expect(transport.invoke('patient.list', {})).resolves.toEqual(TRANSPORT_CLOSED);
      vi.advanceTimersByTime(50);
      expect(sockets).toHaveLength(2);
      sockets[1]!.open();
      expect(transport.status).toBe('open');
    } finally {
      vi.useRealTimers();
    }
  });

  it('builds media URLs without the token (an HttpOnly cookie authorises /media)', () => {
    const { transport } = setup();
    expect(transport.mediaUrl('https://x/a b.png')).toBe('/media?src=https%3A%2F%2Fx%2Fa%20b.png');
    expect(transport.mediaUrl('https://x/a b.png')).not.toContain('t%20k');
  });

  it('opens the media session before the first connection', async () => {
    const sockets: unknown[] = [];
    let release!: () => void;
    const session = new Promise<void>((r) => (release = r));
    createWebSocketTransport({ url: 'ws://h/api', token: 't', origin: '', openMediaSession: () => session, createSocket: (u) => (sockets.push(u), { close() {} } as unknown as WebSocket) });
    expect(sockets).toHaveLength(0);
    release();
    await session;
    await Promise.resolve();
    await Promise.resolve();
    expect(sockets).toHaveLength(1);
  });
});

describe('takeToken', () => {
  it('reads the token from the fragment, hides it and keeps it for reloads', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    } as unknown as Storage;
    const replaceState = vi.fn();
    const history = { state: null, replaceState } as unknown as History;
    const loc = { hash: '#token=abc', pathname: '/', search: '' } as Location;
    expect(takeToken(loc, history, storage)).toBe('abc');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/');
    expect(takeToken({ ...loc, hash: '' } as Location, history, storage)).toBe('abc');
  });
});
