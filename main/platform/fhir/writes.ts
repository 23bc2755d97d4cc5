/**
 * Writes to the platform (the outbox's side of the FHIR adapter): DocumentReference for journal
 * entries and Binary for their files, both created idempotently with a conditional create
 * (`If-None-Exist`) on the client identifier generated at enqueue. See docs/outbox.md.
 * Pure builders here; the HTTP lives in ./index.ts.
 */
import type { Binary, CodeableConcept, DocumentReference, DocumentReferenceContent } from '@medplum/fhirtypes';
import { AxiosError } from 'axios';
import { RelaisError, type Confidentiality } from '../../../contract';
import type { NewBinary, NewJournalEntry } from '../port';
import { encodeBase64Utf8 } from './mapping';
import { CDL, CONFIDENTIALITY, KIND_DISPLAY, RELAIS } from './systems';

/** DocumentReference.identifier system (and Binary meta.tag system) of Relais' client idempotency ids. */
export const CLIENT_ID_SYSTEM = 'https://relais.example/fhir/NamingSystem/client-id';
/** Category coding of special entries (an alert acknowledgement). */
export const JOURNAL_MARKER_SYSTEM = 'https://relais.example/fhir/CodeSystem/journal-marker';
export const MARKER_DISPLAY: Record<NonNullable<NewJournalEntry['marker']>, string> = {
  'alert-acknowledged': 'Alerte prise en compte',
};

/** `If-None-Exist` value matching one client id. */
export function ifNoneExist(param: 'identifier' | '_tag', clientId: string): string {
  return `${param}=${encodeURIComponent(`${CLIENT_ID_SYSTEM}|${clientId}`)}`;
}

export function buildJournalDocument(entry: NewJournalEntry, author: { reference: string; display?: string }): DocumentReference {
  const content: DocumentReferenceContent[] = [];
  if (entry.text.trim() !== '') {
    content.push({ attachment: { contentType: 'text/plain; charset=utf-8', language: 'fr', data: encodeBase64Utf8(entry.text) } });
  }
  for (const a of entry.attachments) {
    content.push({ attachment: { contentType: a.contentType, title: a.title, url: a.url, size: a.size } });
  }
  return {
    resourceType: 'DocumentReference',
    meta: { profile: [CDL.profile] },
    ...(entry.urgent ? { extension: [{ url: CDL.isEmergency, valueBoolean: true }] } : {}),
    identifier: [{ system: CLIENT_ID_SYSTEM, value: entry.clientId }],
    status: 'current',
    type: {
      coding: [{ system: RELAIS.journalKind, code: entry.kind, display: KIND_DISPLAY[entry.kind] ?? entry.kind }],
      text: KIND_DISPLAY[entry.kind] ?? entry.kind,
    },
    ...categoryOf(entry),
    securityLabel: [securityLabelOf(entry.confidentiality ?? 'normal')],
    subject: { reference: `Patient/${entry.patientId}` },
    date: entry.date,
    author: [author],
    ...(entry.replyTo ? { relatesTo: [{ code: 'appends', target: { reference: `DocumentReference/${entry.replyTo}` } }] } : {}),
    content,
  };
}

/** The marker of a special entry and the administrative category, when there are any. */
function categoryOf(entry: NewJournalEntry): Pick<DocumentReference, 'category'> {
  const category: NonNullable<DocumentReference['category']> = [];
  if (entry.marker) category.push({ coding: [{ system: JOURNAL_MARKER_SYSTEM, code: entry.marker, display: MARKER_DISPLAY[entry.marker] }] });
  if (entry.category === 'administrative') category.push({ coding: [{ system: RELAIS.entryCategory, code: 'administrative', display: 'Administratif' }] });
  return category.length > 0 ? { category } : {};
}

/** DocumentReference.securityLabel of an entry (docs/fhir-mapping.md). */
export function securityLabelOf(confidentiality: Confidentiality): CodeableConcept {
  return confidentiality === 'medical'
    ? { coding: [{ system: CONFIDENTIALITY.system, code: CONFIDENTIALITY.medical, display: 'restricted' }], text: 'Médical' }
    : { coding: [{ system: CONFIDENTIALITY.system, code: CONFIDENTIALITY.normal, display: 'normal' }] };
}

export function buildBinary(binary: NewBinary): Binary {
  return {
    resourceType: 'Binary',
    meta: { tag: [{ system: CLIENT_ID_SYSTEM, code: binary.clientId }] },
    contentType: binary.contentType,
    data: Buffer.from(binary.data).toString('base64'),
  };
}

/**
 * A failed write → RelaisError whose code tells the outbox what to do: PLATFORM_UNREACHABLE
 * (network, timeout) and PLATFORM_ERROR (5xx, 429) are retried; CONFLICT (409/412) too;
 * INVALID_INPUT (any other 4xx: the platform refuses this content) is permanent; 401/403 keep
 * their codes (docs/outbox.md says which are retried).
 */
export function toWriteError(err: unknown, what: string, fallback: (err: unknown, what: string) => RelaisError): RelaisError {
  if (err instanceof AxiosError && err.response) {
    const status = err.response.status;
    if (status >= 400 && status < 500 && ![401, 403, 409, 412, 429].includes(status)) {
      return new RelaisError('INVALID_INPUT', `${what}: HTTP ${status} (the platform refused it)`);
    }
    if (status === 429) return new RelaisError('PLATFORM_ERROR', `${what}: HTTP 429 too many requests`);
  }
  return fallback(err, what);
}
