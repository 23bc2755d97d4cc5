import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { RelaisError } from '../../contract';
import { toErrorShape } from '../errors';
import { launchFromArgv } from '../launch/argv';
import { createGuardedServer, hostAllowed, HttpRequestError, readBody } from '../util/http-guard';
import { parseLaunchUrl } from '../launch/url';
import type { LaunchTarget } from '../launch/launch-target';
import { newToken, tokensEqual } from './token';

const LaunchRequestSchema = z.union([
  z.object({ url: z.string().max(4096) }),
  z.object({ argv: z.array(z.string().max(4096)).max(64) }),
]);

const MAX_BODY = 16 * 1024;

export interface ControlServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

/**
 * Loopback endpoint through which `relais launch` (and a second instance's argv) reaches the
 * running instance, whichever host it is. Requires the per-run token; refuses anything a browser
 * sent (an Origin header), so a web page cannot open patients.
 */
export async function startControlServer(core: LaunchTarget, onLaunch: () => void = () => {}): Promise<ControlServer> {
  const token = newToken();
  let port = 0;
  const server: Server = createGuardedServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    // DNS rebinding: only our own loopback name reaches the handler.
    if (!hostAllowed(req.headers.host, port)) {
      return reply(421, { ok: false, error: { code: 'FORBIDDEN', message: 'unexpected Host header' } });
    }
    // Browsers always send Origin on a POST and Sec-Fetch-Site/-Dest on every request; the CLI and
    // a second instance send none of them. JSON content type forces a (refused) CORS preflight.
    const fromBrowser =
      req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined || req.headers['sec-fetch-dest'] !== undefined;
    if (fromBrowser || !req.headers['content-type']?.startsWith('application/json')) {
      return reply(403, { ok: false, error: { code: 'FORBIDDEN', message: 'browser requests are refused' } });
    }
    const auth = req.headers.authorization?.replace(/^Bearer /, '');
    if (!tokensEqual(token, auth)) return reply(401, { ok: false, error: { code: 'UNAUTHENTICATED', message: 'bad token' } });
    if (req.method !== 'POST' || req.url !== '/launch') return reply(404, { ok: false, error: { code: 'INVALID_INPUT', message: 'not found' } });
    try {
      const body = LaunchRequestSchema.parse(JSON.parse(await readBody(req, MAX_BODY)));
      let context;
      if ('url' in body) context = parseLaunchUrl(body.url);
      else {
        const found = launchFromArgv(body.argv);
        if (found.kind === 'none') {
          onLaunch();
          return reply(200, { ok: true, value: { opened: false } });
        }
        context = found.context;
      }
      onLaunch();
      const opened = await core.openPatient(context, 'cli');
      reply(200, { ok: true, value: { opened: true, patientId: opened.patient.id } });
    } catch (error) {
      // An oversized or aborted body: answered by the guard (413/400), not reported as a launch.
      if (error instanceof HttpRequestError) throw error;
      const shape = error instanceof z.ZodError || error instanceof SyntaxError
        ? { code: 'INVALID_INPUT' as const, message: 'invalid launch request' }
        : toErrorShape(error);
      core.launchRejected(new RelaisError(shape.code, shape.message, shape.field));
      reply(shape.code === 'INTERNAL' ? 500 : 422, { ok: false, error: shape });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
