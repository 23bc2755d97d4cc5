/**
 * The sandbox's index answer to Relais's steady-state question (DocumentReference of many
 * subjects in a `_lastUpdated` range, sandbox/repository.ts planChanges) is the one the plain
 * MemoryRepository scan gives on the same data.
 */
import './medplum-env';
import { parseSearchRequest } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, DocumentReference } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_PATIENT_500 } from './seed/index';
import { startSandbox, type Sandbox } from './server';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
});
afterAll(async () => {
  await sandbox?.close();
});

const ids = (b: Bundle) => (b.entry ?? []).map((e) => e.resource?.id).sort();

describe('many-subject change search', () => {
  it.each([
    'DocumentReference?subject=Patient/pat-01,Patient/pat-03,Patient/pat-bench-500&_lastUpdated=gt2026-06-01T00:00:00.000Z&_count=1000',
    'DocumentReference?subject=Patient/pat-02,Patient/pat-05&_lastUpdated=ge2025-01-01T00:00:00.000Z&_lastUpdated=lt2026-01-01T00:00:00.000Z&_count=1000',
    'DocumentReference?subject=Patient/pat-04,Patient/nobody&_lastUpdated=gt2020-01-01T00:00:00Z&_count=1000',
  ])('%s: same entries as the scan', async (query) => {
    const req = parseSearchRequest<DocumentReference>(query);
    const indexed = await sandbox.repo.search(req);
    const scanned = await MemoryRepository.prototype.search.call(sandbox.repo, req);
    expect(ids(indexed).length).toBeGreaterThan(0);
    expect(ids(indexed)).toEqual(ids(scanned));
    expect(indexed.total).toBe(ids(scanned).length);
  });

  it('pages with next links and loses nothing', async () => {
    const query = `subject=Patient/pat-01,Patient/${BENCH_PATIENT_500.id}&_lastUpdated=gt2020-01-01T00:00:00.000Z`;
    const all = ids(
      await sandbox.repo.search(parseSearchRequest<DocumentReference>(`DocumentReference?${query}&_count=1000`)),
    );
    const seen: (string | undefined)[] = [];
    let url: string | undefined = `${sandbox.url}/DocumentReference?${query}&_count=97`;
    while (url) {
      const page = (await (await fetch(url, { headers: { Accept: 'application/fhir+json' } })).json()) as Bundle;
      seen.push(...(page.entry ?? []).map((e) => e.resource?.id));
      url = page.link?.find((l) => l.relation === 'next')?.url;
    }
    expect(all.length).toBeGreaterThan(500);
    expect(seen.sort()).toEqual(all);
  });
});
