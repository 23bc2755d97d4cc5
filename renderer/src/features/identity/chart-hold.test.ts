import { describe, expect, it } from 'vitest';
import type { Patient, RelaisClient, RelaisEvent } from '../../contract';
import { ChartHoldController } from './chart-hold';

const patient = { id: 'p1', birthName: 'LAMBERT', firstNames: ['Jeanne'], birthDate: '1953-07-14', sex: 'F' } as unknown as Patient;

function setup(chartOpen: boolean) {
  const listeners = new Set<(e: RelaisEvent) => void>();
  const client = {
    call: async () => ({ ok: true, value: {} }),
    onEvent: (l: (e: RelaisEvent) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as RelaisClient;
  const c = new ChartHoldController(client, () => chartOpen);
  const off = c.connect();
  const emit = (e: RelaisEvent) => listeners.forEach((l) => l(e));
  return { c, emit, off, listeners };
}

describe('ChartHoldController (issue 15)', () => {
  it('holds the chart on a refused launch, with its error, until the GP keeps it', () => {
    const { c, emit } = setup(true);
    emit({ type: 'launch-failed', error: { code: 'INS_INVALID', message: 'bad key' } } as RelaisEvent);
    expect(c.getState().hold).toMatchObject({ reason: 'refused', error: { code: 'INS_INVALID' } });
    c.release();
    expect(c.getState().hold).toBeNull();
  });

  it('holds it while a launch waits for the identity check; opening a patient releases it', () => {
    const { c, emit } = setup(true);
    emit({ type: 'identity-confirmation-required' } as unknown as RelaisEvent);
    expect(c.getState().hold).toEqual({ reason: 'held' });
    emit({ type: 'patient-changed', patient, cached: false });
    expect(c.getState().hold).toBeNull();
  });

  it('holds nothing when no chart is open, and stops listening once disconnected', () => {
    const { c, emit, off, listeners } = setup(false);
    emit({ type: 'launch-failed', error: { code: 'INS_INVALID', message: 'x' } } as RelaisEvent);
    expect(c.getState().hold).toBeNull();
    off();
    expect(listeners.size).toBe(0);
  });
});
