/**
 * `npx tsx sandbox/measure.ts`: measures the sandbox itself (seed time, HTTP page latencies of the
 * journal query, and the same query on a plain MemoryRepository) and prints JSON. Numbers are
 * quoted in docs/sandbox.md. Not a test: no timed assertions.
 */
import './medplum-env';
import { parseSearchRequest } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle } from '@medplum/fhirtypes';
import { startSandbox } from './server';
import { BENCH_PATIENT_10K, buildSeed } from './seed/index';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number): number => Math.round(x * 100) / 100;

async function timeGet(url: string): Promise<{ ms: number; bundle: Bundle }> {
  const t = performance.now();
  const res = await fetch(url, { headers: { Accept: 'application/fhir+json' } });
  const bundle = (await res.json()) as Bundle;
  return { ms: performance.now() - t, bundle };
}

const sandbox = await startSandbox({ port: 0, seed: 1 });
const q = `${sandbox.url}/DocumentReference?subject=Patient/${BENCH_PATIENT_10K.id}&_sort=-date&_count=500`;
const inc = '&_include=DocumentReference:author&_include:iterate=PractitionerRole:practitioner';

const runs = 20;
const first: number[] = [];
const firstInc: number[] = [];
const middle: number[] = [];
const incremental: number[] = [];
let pages = 0;
let middleUrl = '';
const walkStart = performance.now();
for (let url: string | undefined = q + inc; url; ) {
  const { bundle } = await timeGet(url);
  pages++;
  if (pages === 10) middleUrl = url;
  url = bundle.link?.find((l) => l.relation === 'next')?.url;
}
const walkMs = performance.now() - walkStart;
for (let i = 0; i < runs; i++) {
  first.push((await timeGet(q)).ms);
  firstInc.push((await timeGet(q + inc)).ms);
  middle.push((await timeGet(middleUrl)).ms);
  incremental.push((await timeGet(`${q}${inc}&_lastUpdated=gt2026-11-01T00:00:00Z`)).ms);
}
const repoTimes: number[] = [];
const repoIncTimes: number[] = [];
const stringifyTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  let t = performance.now();
  await sandbox.repo.search(parseSearchRequest(q.slice(sandbox.url.length + 1)));
  repoTimes.push(performance.now() - t);
  t = performance.now();
  const b = await sandbox.repo.search(parseSearchRequest((q + inc).slice(sandbox.url.length + 1)));
  repoIncTimes.push(performance.now() - t);
  t = performance.now();
  JSON.stringify(b);
  stringifyTimes.push(performance.now() - t);
}
await sandbox.close();

// Baseline: the same query on @medplum/fhir-router's MemoryRepository (no index, no paging links).
const mem = new MemoryRepository();
const seed = buildSeed(1);
await mem.withSeeding(async () => {
  for (const r of seed.resources) await mem.createResource(r);
});
const memTimes: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  await mem.search(parseSearchRequest(`DocumentReference?subject=Patient/${BENCH_PATIENT_10K.id}&_sort=-date&_count=500`));
  memTimes.push(performance.now() - t);
}

console.log(
  JSON.stringify(
    {
      seed: { buildMs: round(sandbox.seedStats.buildMs), loadMs: round(sandbox.seedStats.loadMs), counts: sandbox.seedStats.counts },
      journal10k: {
        httpPage500FirstMedianMs: round(median(first)),
        httpPage500FirstWithIncludesMedianMs: round(median(firstInc)),
        httpPage500Page10ViaCursorMedianMs: round(median(middle)),
        httpIncrementalSinceMedianMs: round(median(incremental)),
        fullWalk20PagesWithIncludesMs: round(walkMs),
        pages,
        repoSearchPage500MedianMs: round(median(repoTimes)),
        repoSearchPage500WithIncludesMedianMs: round(median(repoIncTimes)),
        jsonStringifyPage500MedianMs: round(median(stringifyTimes)),
      },
      memoryRepositoryBaselinePage500MedianMs: round(median(memTimes)),
    },
    null,
    2,
  ),
);
