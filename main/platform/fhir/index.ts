/**
 * The real Platform adapter: FHIR R4 over HTTP(S) with axios. See docs/fhir-mapping.md.
 * Every method throws RelaisError (codes: PLATFORM_UNREACHABLE, PLATFORM_ERROR,
 * PATIENT_NOT_FOUND, UNAUTHENTICATED, FORBIDDEN, CONFLICT, INVALID_INPUT).
 */
import type {
  Binary,
  Bundle,
  BundleEntry,
  CareTeam,
  DocumentReference,
  Patient as FhirPatient,
  Practitioner,
  PractitionerRole,
} from '@medplum/fhirtypes';
import { IdNatPsSchema, isValidRpps, RelaisError, type Ins, type JournalEntry, type Patient, type Professional } from '../../../contract';
import type { JournalBatch, JournalFetchOptions, NewBinary, NewJournalEntry, Platform, TraitQuery } from '../port';
import { buildBinary, buildJournalDocument, ifNoneExist, toWriteError } from './writes';
import { insOf, insToIdentifierToken, mapAuthor, mapJournalEntry, mapPatient, mapProfessional, referenceId } from './mapping';
import type { FhirAdapterDeps } from './adapter-deps';
import { PS } from './systems';
import { createPanelsAdapter, flagAlertsMapper } from '../../features/panels/fhir-adapter';
import { createChangesAdapter } from './changes';
import { createPpsAdapter } from '../../features/pps/fhir-adapter';
import { createAgendaAdapter } from '../../features/agenda/fhir-adapter';
import { createReferralAdapter } from '../../features/referral/fhir-adapter';
import { createFlowAdapter } from '../../features/flow/fhir-adapter';
import { createClinicalAdapter } from '../../features/clinical/fhir-adapter';
import { createPrescriptionAdapter } from '../../features/prescription/fhir-adapter';
import { createMedicationCircuitAdapter } from '../../features/prescription/circuit-adapter';
import { createSupportRequestAdapter } from '../../features/support-request/fhir-adapter';
import { createOpinionAdapter } from '../../features/opinion/fhir-adapter';
import { createHospitalStayAdapter } from '../../features/hospital-stay/fhir-adapter';
import { binaryAttachmentUrl } from '../attachment-url';
import { toRelaisError } from './http-errors';
import { createFhirHttp, type FhirPlatformOptions } from './http-client';

export { mapJournalEntry, mapPatient, mapProfessional } from './mapping';
export { toRelaisError } from './http-errors';

export type { FhirPlatformOptions } from './http-client';

export function createFhirPlatform(options: FhirPlatformOptions): Platform {
  const { baseUrl, base, http, get, getSearch, searchPages, searchAll } = createFhirHttp(options);

  /** Practitioner / PractitionerRole cache (authors repeat across entries and pages). */
  const roles = new Map<string, PractitionerRole>();
  const practitioners = new Map<string, Practitioner>();

  const rememberIncluded = (entries: readonly BundleEntry[] | undefined): void => {
    for (const e of entries ?? []) {
      const r = e.resource;
      if (r?.resourceType === 'PractitionerRole' && r.id) roles.set(r.id, r);
      else if (r?.resourceType === 'Practitioner' && r.id) practitioners.set(r.id, r);
    }
  };

  /** Author look-ups under way, by PractitionerRole id. */
  const rolesLoading = new Map<string, Promise<void>>();
  /** Fetch, in one request, the PractitionerRoles (and their Practitioners) missing from the cache. */
  const loadMissingRoles = async (roleIds: readonly string[]): Promise<void> => {
    const missing = [...new Set(roleIds)].filter((id) => !roles.has(id));
    if (missing.length === 0) return;
    // Concurrent pages of one sync miss the same authors at the same time: one request each.
    const waits = missing.map((id) => rolesLoading.get(id)).filter((p): p is Promise<void> => !!p);
    const asked = missing.filter((id) => !rolesLoading.has(id));
    for (let i = 0; i < asked.length; i += 100) {
      const chunk = asked.slice(i, i + 100);
      const task = (async () => {
        for await (const page of searchPages(
          'PractitionerRole',
          { _id: chunk.join(','), _include: 'PractitionerRole:practitioner', _count: String(Math.max(chunk.length, 20)) },
          'Resolve journal authors',
        )) {
          rememberIncluded(page.entry);
        }
      })().finally(() => {
        for (const id of chunk) rolesLoading.delete(id);
      });
      for (const id of chunk) rolesLoading.set(id, task);
      waits.push(task);
    }
    await Promise.all(waits);
  };

  const authorOf = (ref: { reference?: string; display?: string } | undefined) => {
    const roleId = referenceId(ref?.reference, 'PractitionerRole');
    const role = roleId ? roles.get(roleId) : undefined;
    const practId = referenceId(role?.practitioner?.reference, 'Practitioner') ?? referenceId(ref?.reference, 'Practitioner');
    return mapAuthor(ref, role, practId ? practitioners.get(practId) : undefined);
  };

  const professionalFromBundle = (bundle: Bundle, what: string): Professional | null => {
    const ps = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Practitioner => r?.resourceType === 'Practitioner');
    const p = ps[0];
    if (!p) return null;
    const rs = (bundle.entry ?? [])
      .map((e) => e.resource)
      .filter((r): r is PractitionerRole => r?.resourceType === 'PractitionerRole' && referenceId(r.practitioner?.reference, 'Practitioner') === p.id);
    try {
      return mapProfessional(p, rs);
    } catch (err) {
      throw toRelaisError(err, what);
    }
  };

  // What each feature's FHIR adapter (main/features/<f>/fhir-adapter.ts) borrows from this client.
  const deps: FhirAdapterDeps = { http, searchAll, loadMissingRoles, roles, practitioners, selfRoleOf: (practitionerId) => selfRoleOf(practitionerId), toRelaisError };
  const platform: Platform = {
    baseUrl,
    ...createPpsAdapter(deps),
    ...createPanelsAdapter(deps),
    ...createChangesAdapter({ http, pagesAfter: (url, what) => searchPages('', {}, what, url), alertsOfFlags: flagAlertsMapper(deps), toRelaisError }),
    ...createAgendaAdapter(deps),
    ...createReferralAdapter(deps),
    ...createPrescriptionAdapter(deps),
    ...createFlowAdapter(deps),
    ...createClinicalAdapter(deps),
    ...createMedicationCircuitAdapter(deps),
    ...createSupportRequestAdapter(deps),
    ...createOpinionAdapter(deps),
    ...createHospitalStayAdapter(deps),

    async findPatientByIns(ins: Ins): Promise<Patient | null> {
      const what = 'Find patient by INS';
      const bundle = await get<Bundle<FhirPatient>>('Patient', what, { params: { identifier: insToIdentifierToken(ins), _count: '10' } });
      const matches = (bundle.entry ?? [])
        .map((e) => e.resource)
        .filter((p): p is FhirPatient => p?.resourceType === 'Patient')
        .filter((p) => {
          const active = insOf(p.identifier);
          return active?.value === ins.value && active.oid === ins.oid;
        });
      if (matches.length === 0) return null;
      if (matches.length > 1) throw new RelaisError('PLATFORM_ERROR', `${what}: ${matches.length} patients share this INS`);
      return mapPatient(matches[0]!);
    },

    async searchPatientsByTraits(traits: TraitQuery): Promise<Patient[]> {
      const [year, month, day] = traits.birthDate.split('-');
      // RNIV partially unknown dates (00): search on what is known.
      const birthdate = month === '00' ? year! : day === '00' ? `${year}-${month}` : traits.birthDate;
      const params: Record<string, string> = { family: traits.birthName, birthdate, _count: '20' };
      if (traits.sex && traits.sex !== 'U') params.gender = traits.sex === 'F' ? 'female' : 'male';
      const bundle = await get<Bundle<FhirPatient>>('Patient', 'Search patients by traits', { params });
      return (bundle.entry ?? [])
        .map((e) => e.resource)
        .filter((p): p is FhirPatient => p?.resourceType === 'Patient')
        .map((p) => mapPatient(p));
    },

    async getPatient(id: string): Promise<Patient> {
      const p = await get<FhirPatient>(`Patient/${encodeURIComponent(id)}`, `Read patient ${id}`, undefined, 'PATIENT_NOT_FOUND');
      return mapPatient(p);
    },

    async listPatientsFollowedBy(professionalId: string): Promise<Patient[]> {
      const what = 'List followed patients';
      // The care team references PractitionerRoles; find this professional's roles first.
      const roleIds: string[] = [];
      for await (const page of searchPages('PractitionerRole', { practitioner: `Practitioner/${professionalId}`, _count: '50' }, what)) {
        for (const e of page.entry ?? []) if (e.resource?.resourceType === 'PractitionerRole' && e.resource.id) roleIds.push(e.resource.id);
      }
      const members = [`Practitioner/${professionalId}`, ...roleIds.map((r) => `PractitionerRole/${r}`)];
      if (roleIds.length === 0) members.push(`PractitionerRole/${professionalId}`);
      const patients = new Map<string, FhirPatient>();
      const subjects = new Set<string>();
      for await (const page of searchPages('CareTeam', { participant: members.join(','), _include: 'CareTeam:subject', _count: '100' }, what)) {
        for (const e of page.entry ?? []) {
          const r = e.resource;
          if (r?.resourceType === 'CareTeam') {
            const ct = r as CareTeam;
            if (ct.status === 'inactive' || ct.status === 'entered-in-error') continue;
            const sid = referenceId(ct.subject?.reference, 'Patient');
            if (sid) subjects.add(sid);
          } else if (r?.resourceType === 'Patient' && r.id) {
            patients.set(r.id, r);
          }
        }
      }
      const out: Patient[] = [];
      for (const sid of subjects) {
        const p = patients.get(sid);
        out.push(p ? mapPatient(p) : await platform.getPatient(sid));
      }
      return out.sort((a, b) => a.birthName.localeCompare(b.birthName, 'fr') || a.firstNames.join(' ').localeCompare(b.firstNames.join(' '), 'fr'));
    },

    async getProfessional(id: string): Promise<Professional> {
      const what = `Read professional ${id}`;
      const bundle = await getSearch<Bundle>('Practitioner', what, { params: { _id: id, _revinclude: 'PractitionerRole:practitioner' } });
      const pro = professionalFromBundle(bundle, what);
      if (!pro) throw new RelaisError('PLATFORM_ERROR', `${what}: not found`);
      return pro;
    },

    async findProfessionalByRpps(rpps: string): Promise<Professional | null> {
      if (!isValidRpps(rpps)) throw new RelaisError('INVALID_INPUT', 'RPPS must be 11 digits with a valid check digit', 'rpps');
      const what = 'Find professional by RPPS';
      for (const identifier of [`${PS.rpps}|${rpps}`, `${PS.idNatPs}|8${rpps}`]) {
        const bundle = await getSearch<Bundle>('Practitioner', what, { params: { identifier, _revinclude: 'PractitionerRole:practitioner' } });
        const pro = professionalFromBundle(bundle, what);
        if (pro) return pro;
      }
      return null;
    },

    async findProfessionalByIdNatPs(idNatPs: string): Promise<Professional | null> {
      if (!IdNatPsSchema.safeParse(idNatPs).success) throw new RelaisError('INVALID_INPUT', 'not an idNatPS', 'idNatPs');
      // A health professional: by RPPS as before (the referential may carry only one of the two identifiers).
      if (idNatPs.startsWith('8')) return platform.findProfessionalByRpps(idNatPs.slice(1));
      const what = 'Find staff member by idNatPS';
      const bundle = await getSearch<Bundle>('Practitioner', what, { params: { identifier: `${PS.idNatPs}|${idNatPs}`, _revinclude: 'PractitionerRole:practitioner' } });
      return professionalFromBundle(bundle, what);
    },

    fetchJournal(patientId: string, opts: JournalFetchOptions = {}): AsyncIterable<JournalBatch> {
      const pageSize = Math.min(Math.max(opts.pageSize ?? 200, 1), 1000);
      const params: Record<string, string | string[]> = {
        subject: `Patient/${patientId}`,
        _sort: opts.oldestFirst ? 'date' : '-date',
        _count: String(pageSize),
      };
      if (opts.includeAuthors !== false) {
        params._include = 'DocumentReference:author';
        params['_include:iterate'] = 'PractitionerRole:practitioner';
      }
      if (opts.since) params._lastUpdated = `gt${opts.since}`;
      const dates: string[] = [];
      if (opts.dates?.from) dates.push(`ge${opts.dates.from}`);
      if (opts.dates?.before) dates.push(`lt${opts.dates.before}`);
      if (opts.dates?.upTo) dates.push(`le${opts.dates.upTo}`);
      if (dates.length > 0) params.date = dates;
      const what = `Fetch journal of ${patientId}`;
      return {
        async *[Symbol.asyncIterator]() {
          // Journal pages are read once each (then `_lastUpdated` asks for what changed): not kept.
          for await (const page of searchPages('DocumentReference', params, what, opts.resumeFrom, false)) {
            rememberIncluded(page.entry);
            const docs = (page.entry ?? [])
              .filter((e) => e.search?.mode !== 'include')
              .map((e) => e.resource)
              .filter((r): r is DocumentReference => r?.resourceType === 'DocumentReference');
            const authorRoles = docs.map((d) => referenceId(d.author?.[0]?.reference, 'PractitionerRole')).filter((x): x is string => !!x);
            await loadMissingRoles(authorRoles);
            let entries: JournalEntry[];
            try {
              entries = docs.map((d) => mapJournalEntry(d, baseUrl, authorOf));
            } catch (err) {
              throw toRelaisError(err, what);
            }
            const next = page.link?.find((l) => l.relation === 'next')?.url ?? null;
            yield { entries, next, ...(typeof page.total === 'number' ? { total: page.total } : {}) };
          }
        },
      };
    },

    async journalChangedAmong(patientIds: readonly string[], since: string): Promise<Set<string>> {
      const changed = new Set<string>();
      for (let i = 0; i < patientIds.length; i += 100) {
        const chunk = patientIds.slice(i, i + 100);
        const params = {
          subject: chunk.map((id) => `Patient/${id}`).join(','),
          _lastUpdated: `gt${since}`,
          // No `_elements: 'subject'`: a platform that filters by role refuses projections (a
          // projection without securityLabel would pass a medical entry as normal), and a 400
          // here left every card holder's background sync « offline » for good.
          _count: '1000',
        };
        for await (const page of searchPages('DocumentReference', params, 'Poll journal changes', undefined, false)) {
          for (const e of page.entry ?? []) {
            const r = e.resource;
            const id = r?.resourceType === 'DocumentReference' ? referenceId(r.subject?.reference, 'Patient') : undefined;
            if (id) changed.add(id);
          }
        }
      }
      return changed;
    },

    async fetchAttachment(url: string): Promise<{ contentType: string; data: Uint8Array }> {
      let target: URL;
      try {
        target = new URL(url, base);
      } catch {
        throw new RelaisError('INVALID_INPUT', 'Attachment URL is malformed', 'url');
      }
      if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname)) {
        throw new RelaisError('INVALID_INPUT', 'Attachment URL is not under the platform base URL', 'url');
      }
      // Second line behind the core: this read is for one Binary, never any other resource.
      const { url: binaryUrl } = binaryAttachmentUrl(base.href, target.href);
      try {
        const res = await http.get<ArrayBuffer>(binaryUrl, { responseType: 'arraybuffer', headers: { Accept: '*/*' } });
        const contentType = String(res.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim();
        return { contentType, data: new Uint8Array(res.data) };
      } catch (err) {
        throw toRelaisError(err, 'Fetch attachment');
      }
    },

    async createBinary(binary: NewBinary): Promise<{ id: string; url: string }> {
      const what = 'Create binary';
      try {
        const res = await http.post<Binary>('Binary', buildBinary(binary), {
          headers: { 'Content-Type': 'application/fhir+json', 'If-None-Exist': ifNoneExist('_tag', binary.clientId) },
          maxBodyLength: Infinity,
        });
        if (!res.data?.id) throw new RelaisError('PLATFORM_ERROR', `${what}: no id in the answer`);
        return { id: res.data.id, url: `Binary/${res.data.id}` };
      } catch (err) {
        throw toWriteError(err, what, toRelaisError);
      }
    },

    async createJournalEntry(entry: NewJournalEntry): Promise<JournalEntry> {
      const what = 'Create journal entry';
      const roleId = await selfRoleOf(entry.authorId);
      const author = roleId ? { reference: `PractitionerRole/${roleId}` } : { reference: `Practitioner/${entry.authorId}` };
      let doc: DocumentReference;
      try {
        const res = await http.post<DocumentReference>('DocumentReference', buildJournalDocument(entry, author), {
          headers: { 'Content-Type': 'application/fhir+json', 'If-None-Exist': ifNoneExist('identifier', entry.clientId) },
        });
        doc = res.data;
      } catch (err) {
        throw toWriteError(err, what, toRelaisError);
      }
      if (doc?.resourceType !== 'DocumentReference') throw new RelaisError('PLATFORM_ERROR', `${what}: unexpected answer`);
      if (roleId) await loadMissingRoles([roleId]);
      try {
        return mapJournalEntry(doc, baseUrl, authorOf);
      } catch (err) {
        throw toRelaisError(err, what);
      }
    },
  };

  /** The PractitionerRole a professional writes as (first one found; cached). */
  const selfRoles = new Map<string, string | null>();
  const selfRoleOf = async (practitionerId: string): Promise<string | null> => {
    if (selfRoles.has(practitionerId)) return selfRoles.get(practitionerId)!;
    const bundle = await getSearch<Bundle>('PractitionerRole', 'Find author role', {
      params: { practitioner: `Practitioner/${practitionerId}`, _count: '10' },
    });
    const role = (bundle.entry ?? []).map((e) => e.resource).find((r): r is PractitionerRole => r?.resourceType === 'PractitionerRole' && !!r.id);
    selfRoles.set(practitionerId, role?.id ?? null);
    if (role?.id) roles.set(role.id, role);
    return role?.id ?? null;
  };
  return platform;
}
