import { connect } from 'node:net';
import WebSocket from 'ws';

/** What came back on a raw connection: the status of the first response line (0 if none) and all bytes. */
export interface RawAnswer {
  status: number;
  text: string;
}

/**
 * Sends bytes as they are on a fresh TCP connection (no client library to clean them up) and
 * collects the answer until the server closes, or until it has been quiet for `idleMs` (a
 * keep-alive answer, or a partial request the server is still waiting on). Never rejects: a reset
 * is an answer too.
 */
export function rawExchange(port: number, chunks: Array<string | Buffer>, options: { idleMs?: number; end?: boolean } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let done = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      socket.destroy();
      const text = Buffer.concat(received).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text });
    };
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(finish, options.idleMs ?? 1500);
    };
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
      if (options.end) socket.end();
      arm();
    });
    socket.on('data', (d: Buffer) => {
      received.push(d);
      arm();
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
}

/** A plain HTTP/1.1 request with Connection: close; `host` defaults to the loopback name of the port. */
export function httpRequest(port: number, line: string, headers: Record<string, string> = {}, body = ''): string {
  const all: Record<string, string> = { host: `127.0.0.1:${port}`, connection: 'close', ...headers };
  return `${line}\r\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${body}`;
}

/** The first bytes of a TLS 1.2 ClientHello, as a browser sends them to https://127.0.0.1:PORT. */
export const TLS_CLIENT_HELLO = Buffer.from(
  '16030100a5010000a10303' + 'ab'.repeat(32) + '000020c02bc02fc02cc030cca9cca8c009c013c00ac014009c009d002f0035c012000a0100005800000014001200000f3132372e302e302e31000a00080006001d00170018000b00020100000d00120010040104030501050306010603020102030010000e000c02683208687474702f312e31',
  'hex',
);

/** Opens the app's WebSocket as its page does and makes one real API call; resolves with the result. */
export function wsCall(origin: string, token: string, method: string, payload: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/api?token=${encodeURIComponent(token)}`, { origin });
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, method, payload })));
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { id?: number; result?: unknown };
      if (frame.id !== 1) return;
      ws.close();
      resolve(frame.result);
    });
  });
}
