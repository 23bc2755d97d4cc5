import { API, isApiMethod, type ApiMethod, type ApiRequest, type ApiResponse } from './api';
import { resultSchema, type Result } from './errors';
import { RelaisEventSchema, type RelaisEvent } from './events';

/**
 * How a client reaches the core: Electron IPC through the preload, a WebSocket to the web host,
 * or a direct call in tests. Values are untyped on the wire and parsed on arrival.
 */
export interface Transport {
  invoke(method: ApiMethod, payload: unknown): Promise<unknown>;
  subscribe(listener: (event: unknown) => void): () => void;
}

export interface RelaisClient {
  call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<Result<ApiResponse<M>>>;
  onEvent(listener: (event: RelaisEvent) => void): () => void;
}

/**
 * Response schemas, built once per method: building `resultSchema(…)` on every call cost more
 * than the validation itself on the launch→paint path (issue 12), and zod keeps per-schema work.
 */
const responseSchemas = new Map<ApiMethod, ReturnType<typeof resultSchema>>();
function responseSchema(method: ApiMethod): ReturnType<typeof resultSchema> {
  let schema = responseSchemas.get(method);
  if (!schema) responseSchemas.set(method, (schema = resultSchema(API[method].response)));
  return schema;
}

/** One transport-agnostic client: validates every response and event it receives. */
export function createRelaisClient(transport: Transport): RelaisClient {
  // Each event parsed once, then handed to every listener: some twenty features listen, and
  // parsing it once per listener made a journal page event cost twenty validations (issue 12).
  const listeners = new Set<(event: RelaisEvent) => void>();
  let unsubscribe: (() => void) | null = null;
  const deliver = (raw: unknown): void => {
    const parsed = RelaisEventSchema.safeParse(raw);
    if (!parsed.success) return;
    for (const listener of listeners) listener(parsed.data);
  };
  return {
    async call(method, request) {
      if (!isApiMethod(method)) {
        return { ok: false, error: { code: 'INVALID_INPUT', message: `unknown method ${String(method).slice(0, 40)}` } };
      }
      let raw: unknown;
      try {
        raw = await transport.invoke(method, request);
      } catch (error) {
        return {
          ok: false,
          error: { code: 'PLATFORM_UNREACHABLE', message: `transport: ${String(error)}` },
        };
      }
      const parsed = responseSchema(method).safeParse(raw);
      if (!parsed.success) {
        return {
          ok: false,
          error: { code: 'INTERNAL', message: `invalid response for ${method}: ${parsed.error.message}` },
        };
      }
      return parsed.data as Result<ApiResponse<typeof method>>;
    },
    onEvent(listener) {
      // A wrapper per subscription: the same function subscribed twice is called twice, as before.
      const one = (event: RelaisEvent): void => listener(event);
      listeners.add(one);
      unsubscribe ??= transport.subscribe(deliver);
      return () => {
        listeners.delete(one);
        if (listeners.size === 0) {
          unsubscribe?.();
          unsubscribe = null;
        }
      };
    },
  };
}
