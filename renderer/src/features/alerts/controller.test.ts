import { describe, expect, it } from 'vitest';
import type { Alert, RelaisClient, RelaisEvent } from '../../contract';
import { AlertStripController } from './controller';

const alert = (id: string, handled: Alert['handled'] = null): Alert => ({
  id,
  patientId: 'p1',
  kind: 'degradation',
  text: 'Chute ce matin',
  start: '2026-11-30T08:00:00Z',
  author: null,
  version: '1',
  severity: 'high',
  handled,
});

function setup() {
  const calls: [string, unknown][] = [];
  const listeners = new Set<(e: RelaisEvent) => void>();
  let handled = false;
  const client = {
    call: async (method: string, req: unknown) => {
      calls.push([method, req]);
      if (method === 'alerts.ofPatient') return { ok: true, value: [alert('f1', handled ? { by: { id: 'x', name: 'Dr Hélène DUFAU', roleLabel: '' }, at: '2026-11-30T09:00:00Z' } : null)] };
      if (method === 'alert.handle') {
        handled = true;
        return { ok: true, value: { id: 'c1' } };
      }
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'x' } };
    },
    onEvent: (l: (e: RelaisEvent) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as RelaisClient;
  const c = new AlertStripController(client);
  c.connect();
  return { c, calls, emit: (e: RelaisEvent) => listeners.forEach((l) => l(e)) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('AlertStripController (issue 15)', () => {
  it('loads the patient’s alerts; « Prendre en compte » goes through alert.handle and shows who handled it', async () => {
    const { c, calls } = setup();
    c.follow('p1');
    await settle();
    expect(c.getState().alerts[0]?.handled).toBeNull();
    await c.handle('f1');
    expect(calls).toContainEqual(['alert.handle', { patientId: 'p1', alertId: 'f1' }]);
    expect(c.getState().alerts[0]?.handled?.by?.name).toBe('Dr Hélène DUFAU');
  });

  it('reloads when a colleague handles an alert of this patient, not for another patient', async () => {
    const { c, calls, emit } = setup();
    c.follow('p1');
    await settle();
    const loads = () => calls.filter(([m]) => m === 'alerts.ofPatient').length;
    const before = loads();
    emit({ type: 'alert-handled', patientId: 'p2', alertId: 'f9', unacknowledged: 1 });
    expect(loads()).toBe(before);
    emit({ type: 'alert-handled', patientId: 'p1', alertId: 'f1', unacknowledged: 0 });
    expect(loads()).toBe(before + 1);
  });
});
