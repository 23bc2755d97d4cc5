import { randomUUID } from 'node:crypto';

/**
 * Adds a journal note straight on the sandbox over FHIR, as another professional's software would
 * (dated now unless `date` says otherwise).
 */
export async function postNoteOnPlatform(sandboxUrl: string, patientId: string, text: string, role = 'role-lamothe', date = new Date().toISOString()): Promise<string> {
  const res = await fetch(`${sandboxUrl}/DocumentReference`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify({
      resourceType: 'DocumentReference',
      status: 'current',
      identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${randomUUID()}` }],
      type: { coding: [{ system: 'https://relais.example/fhir/CodeSystem/journal-kind', code: 'text', display: 'Message' }] },
      subject: { reference: `Patient/${patientId}` },
      date,
      author: [{ reference: `PractitionerRole/${role}` }],
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', language: 'fr', data: Buffer.from(text).toString('base64') } }],
    }),
  });
  if (res.status !== 201) throw new Error(`POST DocumentReference: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Every journal entry id of a patient on the platform, through plain FHIR paging. */
export async function platformEntryIds(sandboxUrl: string, patientId: string): Promise<string[]> {
  const ids: string[] = [];
  let url: string | undefined = `${sandboxUrl}/DocumentReference?subject=Patient/${patientId}&_count=1000&_elements=id`;
  while (url) {
    const bundle = (await (await fetch(url)).json()) as { entry?: { resource: { id: string } }[]; link?: { relation: string; url: string }[] };
    ids.push(...(bundle.entry ?? []).map((e) => e.resource.id));
    url = bundle.link?.find((l) => l.relation === 'next')?.url;
  }
  return ids;
}
