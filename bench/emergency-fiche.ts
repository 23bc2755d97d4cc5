/**
 * Issue 13: « Fiche de liaison urgence », from the click to the PDF the window shows (budget
 * ≤ 1 s): the core's `stay.emergencyFiche` — identity, panels, allergies / contacts / advance
 * directives read from the platform in parallel, the PDF built, the sending enqueued — over the
 * real dispatcher (request and response parsed as the window's call is). Patient already open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeCore } from '../main/compose';
import { createFhirPlatform } from '../main/platform/fhir/index';
import { DEMO_GP_RPPS } from '../sandbox/seed/index';
import { measure, summarise, type BenchResult } from './harness';

export async function benchEmergencyFiche(platformUrl: string, n = 20): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'relais-bench-'));
  const comp = await composeCore({ platformUrl, dataDir: dir, rpps: DEMO_GP_RPPS, demo: true });
  try {
    const patient = await createFhirPlatform({ baseUrl: platformUrl }).getPatient('pat-01');
    await comp.core.openPatient({ ins: patient.ins!, birthName: patient.birthName, firstNames: patient.firstNames, birthDate: patient.birthDate, sex: patient.sex }, 'bench');
    const est = (await comp.dispatch('stay.establishments', {})) as { ok: true; value: { id: string }[] };
    const samples = await measure(n, async () => {
      const r = await comp.dispatch('stay.emergencyFiche', { patientId: patient.id, establishmentId: est.value[0]!.id });
      if (!r.ok) throw new Error('fiche refused');
    });
    return [summarise('emergency fiche: click → PDF (core)', samples)];
  } finally {
    await comp.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
