import WebSocket from 'ws';
import type { ApiMethod, Transport } from '../../contract';

/** The web host's wire protocol, from Node: what the renderer's WebSocket transport does in a page. */
export async function connectWsTransport(origin: string, token: string, headerOrigin = origin): Promise<Transport & { close(): void }> {
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/api?token=${encodeURIComponent(token)}`, { origin: headerOrigin });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  let nextId = 1;
  const pending = new Map<number, (value: unknown) => void>();
  const listeners = new Set<(event: unknown) => void>();
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { id?: number; result?: unknown; event?: unknown };
    if (frame.id !== undefined) {
      pending.get(frame.id)?.(frame.result);
      pending.delete(frame.id);
    } else if (frame.event !== undefined) {
      for (const l of listeners) l(frame.event);
    }
  });
  return {
    invoke: (method: ApiMethod, payload: unknown) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, payload }));
      }),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => ws.close(),
  };
}
