/**
 * A simulated WAN between Relais and the sandbox: a loopback TCP proxy that adds a one-way delay
 * in each direction (default 20 ms → 40 ms round trip) and caps the bandwidth of each direction
 * (default 20 Mbit/s, shared by every connection like one access line).
 *
 * It works at the TCP level, so HTTP keep-alive is honoured exactly as the two ends negotiate it:
 * a reused connection costs one round trip per request, a new one pays one more round trip for
 * its handshake (the client's first bytes are held for one RTT). TLS is not simulated (it would
 * add one more RTT per new connection with TLS 1.3).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface WanOptions {
  /** Upstream host:port (the sandbox). */
  targetHost?: string;
  targetPort: number;
  /** One-way delay in ms (each direction). Default 20. */
  delayMs?: number;
  /** Bandwidth of each direction in bits per second. Default 20 Mbit/s. */
  bitsPerSecond?: number;
}

export interface WanProxy {
  port: number;
  /** Rewrites a URL of the target to go through the proxy. */
  url(targetUrl: string): string;
  /** Connections accepted so far (keep-alive check). */
  readonly connections: number;
  /** Bytes carried downstream (server → client) and upstream. */
  readonly bytes: { down: number; up: number };
  close(): Promise<void>;
}

/** One direction of the line: bytes queue for the wire, then travel `delayMs`. */
class Link {
  private freeAt = 0;
  bytes = 0;
  constructor(
    private readonly delayMs: number,
    private readonly bitsPerSecond: number,
  ) {}

  /** When a chunk sent now (not before `notBefore`) arrives at the other end. */
  arrival(size: number, notBefore = 0): number {
    const now = performance.now();
    const start = Math.max(now, this.freeAt, notBefore);
    this.freeAt = start + (size * 8 * 1000) / this.bitsPerSecond;
    this.bytes += size;
    return this.freeAt + this.delayMs;
  }
}

/** Delivers chunks in order at their arrival times (one queue per socket direction). */
function pipeDelayed(from: Socket, to: Socket, link: Link, notBefore: () => number): void {
  const queue: { at: number; chunk: Buffer }[] = [];
  let timer: NodeJS.Timeout | null = null;
  let ended = false;
  const flush = (): void => {
    timer = null;
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.at <= now + 0.5) {
      const { chunk } = queue.shift()!;
      if (!to.destroyed) to.write(chunk);
    }
    if (queue.length > 0) timer = setTimeout(flush, Math.max(0, queue[0]!.at - performance.now()));
    else if (ended && !to.destroyed) to.end();
  };
  from.on('data', (chunk: Buffer) => {
    queue.push({ at: link.arrival(chunk.length, notBefore()), chunk });
    if (!timer) timer = setTimeout(flush, Math.max(0, queue[0]!.at - performance.now()));
  });
  // A half-close or a close reaches the other end after the bytes already on the line.
  const finish = (): void => {
    ended = true;
    if (!timer && queue.length === 0 && !to.destroyed) to.end();
  };
  from.on('end', finish);
  from.on('close', finish);
}

export async function startWanProxy(options: WanOptions): Promise<WanProxy> {
  const delayMs = options.delayMs ?? 20;
  const bps = options.bitsPerSecond ?? 20_000_000;
  const up = new Link(delayMs, bps);
  const down = new Link(delayMs, bps);
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((client) => {
    connections++;
    // SYN / SYN-ACK: the client's first bytes could not have left before one round trip.
    const readyAt = performance.now() + 2 * delayMs;
    const upstream = connect(options.targetPort, options.targetHost ?? '127.0.0.1');
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    pipeDelayed(client, upstream, up, () => readyAt);
    pipeDelayed(upstream, client, down, () => 0);
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url(targetUrl: string): string {
      const u = new URL(targetUrl);
      u.host = `127.0.0.1:${port}`;
      return u.href.replace(/\/$/, '');
    },
    get connections() {
      return connections;
    },
    get bytes() {
      return { down: down.bytes, up: up.bytes };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
