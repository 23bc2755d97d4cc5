import { describe, expect, it } from 'vitest';
import { mapJournalEntry } from './mapping';
import { buildJournalDocument } from './writes';

const author = () => ({ id: 'prac-dufau', name: 'Dr Hélène DUFAU', roleLabel: 'Médecin généraliste' });
const base = { clientId: '3f1c1d2e-0000-4000-8000-000000000001', patientId: 'pat-01', authorId: 'prac-dufau', kind: 'text' as const, text: 'Note', date: '2026-11-20T10:00:00.000Z', attachments: [] };

describe('securityLabel and category, both ways', () => {
  it('a medical care entry: securityLabel v3 Confidentiality R, read back as medical', () => {
    const doc = buildJournalDocument({ ...base, confidentiality: 'medical' }, { reference: 'PractitionerRole/role-dufau' });
    expect(doc.securityLabel).toEqual([expect.objectContaining({ coding: [expect.objectContaining({ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' })] })]);
    expect(doc.category).toBeUndefined();
    const back = mapJournalEntry({ ...doc, id: 'd1', meta: { versionId: '1' } }, 'http://x/fhir', author);
    expect(back.confidentiality).toBe('medical');
    expect(back.category).toBeUndefined();
  });

  it('an administrative entry (normal, N) keeps the alert marker beside its category', () => {
    const doc = buildJournalDocument({ ...base, category: 'administrative', marker: 'alert-acknowledged' }, { reference: 'PractitionerRole/role-dufau' });
    expect(doc.securityLabel?.[0]?.coding?.[0]?.code).toBe('N');
    expect(doc.category?.flatMap((c) => c.coding?.map((x) => x.code))).toEqual(['alert-acknowledged', 'administrative']);
    const back = mapJournalEntry({ ...doc, id: 'd2', meta: { versionId: '1' } }, 'http://x/fhir', author);
    expect(back.category).toBe('administrative');
    expect(back.confidentiality).toBeUndefined();
  });

  it('V (very restricted) reads as medical too; an entry with no label reads as normal', () => {
    const doc = buildJournalDocument(base, { reference: 'PractitionerRole/role-dufau' });
    const v = { ...doc, id: 'd3', securityLabel: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'V' }] }] };
    expect(mapJournalEntry(v, 'http://x/fhir', author).confidentiality).toBe('medical');
    const { securityLabel: _none, ...unlabelled } = doc;
    expect(mapJournalEntry({ ...unlabelled, id: 'd4' }, 'http://x/fhir', author).confidentiality).toBeUndefined();
  });
});
