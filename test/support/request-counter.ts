/**
 * A loopback HTTP proxy in front of the sandbox that records every request it forwards: what the
 * platform receives from Relais (issue 17 item 7 counts them). Keep-alive on both sides, like the
 * client's own agents; the client's Host is kept, so the sandbox answers its paging links on the
 * proxy (sandbox/server.ts publicBase).
 */
import { Agent, createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountedRequest {
  method: string;
  /** Path and query under the FHIR base (e.g. `/fhir/Patient/pat-01`). */
  path: string;
  status: number;
  /** From the request's first byte to the answer's last, in ms. */
  ms: number;
}

export interface RequestCounter {
  /** The FHIR base URL through the proxy. */
  url: string;
  readonly requests: readonly CountedRequest[];
  /** Forgets what was recorded (a new window). */
  reset(): void;
  close(): Promise<void>;
}

export async function startRequestCounter(targetUrl: string): Promise<RequestCounter> {
  const target = new URL(targetUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let requests: CountedRequest[] = [];
  const server = createServer((req, res) => {
    const t0 = performance.now();
    const headers: IncomingHttpHeaders = { ...req.headers };
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      // A kept-alive socket the sandbox closed as it was reused (ECONNRESET before any answer):
      // sent again once on a fresh connection, as a client's HTTP stack does for an idempotent retry.
      const forward = (retry: boolean): void => {
        const upstream = request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers,
            agent: retry ? false : agent,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on('end', () => {
              requests.push({
                method: req.method ?? 'GET',
                path: req.url ?? '',
                status: answer.statusCode ?? 0,
                ms: performance.now() - t0,
              });
            });
          },
        );
        upstream.on('error', () => {
          if (!retry && !res.headersSent) forward(true);
          else res.destroy();
        });
        upstream.end(body);
      };
      forward(false);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname.replace(/\/+$/, '')}`,
    get requests() {
      return requests;
    },
    reset() {
      requests = [];
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
