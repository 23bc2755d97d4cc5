import { API, isApiMethod, isAuthMethod, type Result } from '../../contract';
import type { RelaisCore } from '../core';
import { toErrorShape } from '../errors';

export type ApiDispatcher = (method: unknown, payload: unknown) => Promise<Result<unknown>>;

/**
 * The one entry point every transport calls: checks the method against the contract, parses the
 * payload with its schema, runs the handler and turns any failure into a typed Result.
 */
export function createApiDispatcher(core: RelaisCore, log: (message: string) => void = console.error): ApiDispatcher {
  return async (method, payload) => {
    if (!isApiMethod(method)) {
      return { ok: false, error: { code: 'INVALID_INPUT', message: `unknown method ${String(method).slice(0, 40)}` } };
    }
    if (isAuthMethod(method)) {
      // Signing in and out is the session host's (main/session/session-host.ts), around the core.
      return { ok: false, error: { code: 'INVALID_INPUT', message: `${method} is answered by the session host` } };
    }
    const parsed = API[method].request.safeParse(payload ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        ok: false,
        error: { code: 'INVALID_INPUT', message: `${method}: ${issue?.message ?? 'invalid'}`, field: String(issue?.path[0] ?? '') },
      };
    }
    try {
      const handler = core.handlers[method] as (request: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      const shape = toErrorShape(error);
      if (shape.code === 'INTERNAL') log(`[relais] ${method} failed: ${shape.message}`);
      return { ok: false, error: shape };
    }
  };
}
