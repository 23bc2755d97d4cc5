import type { Transport } from '../../contract';
import type { RelaisCore } from '../core';
import type { ApiDispatcher } from './dispatch';

/**
 * A transport without a process boundary, for tests and tools. Values still go through JSON so
 * it behaves like IPC and WebSocket (no shared references, no Dates or undefined leaking).
 */
export function inProcessTransport(dispatch: ApiDispatcher, core: RelaisCore): Transport {
  const wire = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));
  return {
    invoke: async (method, payload) => wire(await dispatch(method, wire(payload ?? {}))),
    subscribe: (listener) => core.events.subscribe((event) => listener(wire(event))),
  };
}
