import type { Bundle, Goal, OperationOutcome } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../server';

const goal = (target: Goal['target']): Goal => ({
  resourceType: 'Goal',
  lifecycleStatus: 'active',
  description: { text: 'Prévenir les chutes au domicile' },
  subject: { reference: 'Patient/pat-01' },
  target,
});
const WITHOUT_MEASURE = goal([{ detailString: 'Aucune chute sur 3 mois', dueDate: '2027-02-01' }]);
const WITH_MEASURE = goal([{ measure: { text: 'Chutes' }, detailString: 'Aucune chute sur 3 mois', dueDate: '2027-02-01' }]);

async function send(sandbox: Sandbox, method: string, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sandbox.url}/${path}`, { method, headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}
const diagnosticsOf = (body: unknown): string => ((body as OperationOutcome).issue ?? []).map((i) => i.details?.text ?? i.diagnostics).join('\n');

describe('sandbox write validation (validateWrites)', () => {
  let strict: Sandbox;
  let lenient: Sandbox;
  beforeAll(async () => {
    [strict, lenient] = await Promise.all([startSandbox({ empty: true }), startSandbox({ empty: true, validateWrites: false })]);
  });
  afterAll(async () => {
    await Promise.all([strict.close(), lenient.close()]);
  });

  it('refuses a create that breaks an R4 invariant with 400 and the validator’s OperationOutcome', async () => {
    const refused = await send(strict, 'POST', 'Goal', WITHOUT_MEASURE);
    expect(refused.status).toBe(400);
    expect((refused.body as OperationOutcome).resourceType).toBe('OperationOutcome');
    expect(diagnosticsOf(refused.body)).toMatch(/gol-1/);
    expect((await send(strict, 'POST', 'Goal', WITH_MEASURE)).status).toBe(201);
  });

  it('refuses an update and a transaction entry the same way, and an unknown element', async () => {
    const created = await send(strict, 'POST', 'Goal', WITH_MEASURE);
    const id = (created.body as Goal).id!;
    expect((await send(strict, 'PUT', `Goal/${id}`, { ...WITHOUT_MEASURE, id })).status).toBe(400);
    const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: WITHOUT_MEASURE, request: { method: 'POST', url: 'Goal' } }] };
    expect((await send(strict, 'POST', '', bundle)).status).toBe(400);
    const unknownElement = await send(strict, 'POST', 'Goal', { ...WITH_MEASURE, measure: 'misplaced' });
    expect(unknownElement.status).toBe(400);
  });

  it('stays lenient without the option (the default today)', async () => {
    expect((await send(lenient, 'POST', 'Goal', WITHOUT_MEASURE)).status).toBe(201);
  });
});
