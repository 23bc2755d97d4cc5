import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JournalEntry } from '../contract';
import { DEMO_GP_PROFESSIONAL } from '../test/support/demo-professional';
import { RelaisCore } from './core';
import type { Platform } from './platform/port';
import { LocalStore } from './store/store';

const BASE = 'http://127.0.0.1:8787/fhir';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function entry(id: string, binaryId: string, confidentiality?: 'medical'): JournalEntry {
  return {
    id,
    patientId: 'pat-1',
    kind: 'photo',
    date: '2026-11-30T10:00:00Z',
    author: { id: 'pr-2', name: 'IDE', roleLabel: 'Infirmière' },
    text: '',
    attachments: [{ contentType: 'image/png', title: 'plaie.png', url: `${BASE}/Binary/${binaryId}` }],
    urgent: false,
    version: '1',
    ...(confidentiality ? { confidentiality } : {}),
  };
}

const cores: RelaisCore[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.lock.stop();
});

/** A core over an in-memory store; the platform answers only the Binary read (and counts it). */
function coreFor(options: { secretary?: boolean } = {}) {
  const store = new LocalStore(':memory:');
  const fetchAttachment = vi.fn(async () => ({ contentType: 'text/html', data: PNG }));
  const platform = { baseUrl: BASE, fetchAttachment } as unknown as Platform;
  const professional = options.secretary ? { ...DEMO_GP_PROFESSIONAL, rpps: undefined, idNatPs: '3/SEC1', profession: { code: '99', label: 'Secrétaire' } } : DEMO_GP_PROFESSIONAL;
  const core = new RelaisCore({ platform, store, professional, demo: true, ...(options.secretary ? { session: { card: { kind: 'CPE' as const, idNatPs: '3/SEC1' } } } : {}) });
  cores.push(core);
  store.journal.upsert(entry('e-care', 'bin-care'));
  store.journal.upsert(entry('e-med', 'bin-med', 'medical'));
  return { core, store, fetchAttachment };
}

describe('RelaisCore.fetchAttachment: the API rules for /media and relais-media: (issue 11)', () => {
  it('serves a Binary listed in a journal entry of the store, and audits the open', async () => {
    const { core, store, fetchAttachment } = coreFor();
    await expect(core.fetchAttachment(`${BASE}/Binary/bin-care`)).resolves.toMatchObject({ data: PNG });
    await expect(core.fetchAttachment('Binary/bin-care')).resolves.toMatchObject({ data: PNG });
    expect(fetchAttachment).toHaveBeenCalledWith(`${BASE}/Binary/bin-care`);
    const opens = store.auditTrail().filter((r) => r.action === 'attachment.open');
    expect(opens).toHaveLength(2);
    expect(opens[0]).toMatchObject({ patientId: 'pat-1', detail: 'bin-care' });
  });

  it('refuses any other resource of the platform, and a Binary no entry lists', async () => {
    const { core, fetchAttachment } = coreFor();
    await expect(core.fetchAttachment(`${BASE}/Patient?_count=5`)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(core.fetchAttachment(`${BASE}/DocumentReference/e-care`)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(core.fetchAttachment(`${BASE}/Binary/not-listed`)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(core.fetchAttachment('http://example.com/Binary/bin-care')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(fetchAttachment).not.toHaveBeenCalled();
  });

  it('refuses while the session is locked', async () => {
    const { core, fetchAttachment } = coreFor();
    core.lockSession('manual');
    await expect(core.fetchAttachment(`${BASE}/Binary/bin-care`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(fetchAttachment).not.toHaveBeenCalled();
  });

  it("a medical entry's file needs journal.read-medical: a secretary is refused, and it is audited", async () => {
    const { core, store, fetchAttachment } = coreFor({ secretary: true });
    expect(core.role).toBe('secretary');
    await expect(core.fetchAttachment(`${BASE}/Binary/bin-med`)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(fetchAttachment).not.toHaveBeenCalled();
    expect(store.auditTrail().some((r) => r.action === 'permission.denied' && r.detail?.includes('attachment.open'))).toBe(true);
    // Her administrative/care files still open.
    await expect(core.fetchAttachment(`${BASE}/Binary/bin-care`)).resolves.toMatchObject({ data: PNG });
  });

  it('the physician opens the medical file', async () => {
    const { core } = coreFor();
    await expect(core.fetchAttachment(`${BASE}/Binary/bin-med`)).resolves.toMatchObject({ data: PNG });
  });
});
