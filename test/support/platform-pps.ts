/** Another professional's software changes the PPS on the sandbox (plain FHIR, If-Match on its version). */
export async function editCarePlanOnPlatform(sandboxUrl: string, carePlanId: string, change: (plan: Record<string, unknown>) => void): Promise<string> {
  const plan = (await (await fetch(`${sandboxUrl}/CarePlan/${carePlanId}`)).json()) as Record<string, unknown> & { meta: { versionId: string } };
  change(plan);
  const res = await fetch(`${sandboxUrl}/CarePlan/${carePlanId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/fhir+json', 'if-match': `W/"${plan.meta.versionId}"` },
    body: JSON.stringify(plan),
  });
  if (res.status !== 200) throw new Error(`PUT CarePlan: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { meta: { versionId: string } }).meta.versionId;
}

/** Resources of a type carrying one identifier (system|value), as a FHIR search finds them. */
export async function countByIdentifier(sandboxUrl: string, type: string, system: string, value: string): Promise<number> {
  const bundle = (await (await fetch(`${sandboxUrl}/${type}?identifier=${encodeURIComponent(`${system}|${value}`)}`)).json()) as { entry?: unknown[] };
  return bundle.entry?.length ?? 0;
}
