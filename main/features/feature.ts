/**
 * How a feature plugs into the core (main/core.ts). Each feature folder exports one factory
 * `(ctx: FeatureContext) => Feature`: the API handlers of its methods and the outbox writers of
 * its kinds. The core builds ONE context, calls every factory, and merges them with
 * `mergeFeatures`, whose signature refuses (at compile time) a method without a handler, a method
 * with two, and a key that is not an API method — so no hand-written forwarding table exists.
 * The permission of each method is checked the same way by contract/method-permissions.ts
 * (`Record<ApiMethod, …>`).
 *
 * A feature never imports another feature's internals: what it needs from another one (the care
 * team the panels know, the agenda overlay, the followed patients, the journal cache) is a narrow
 * function on the context, wired by the core.
 */
import type {
  ApiRequest,
  ApiResponse,
  Author,
  CareTeamMember,
  CoreMethod,
  JournalFilter,
  JournalPage,
  Patient,
  PatientPanels,
  Professional,
  Role,
} from '../../contract';
import type { DrugCatalog } from '../drugs/catalog';
import type { EventBus } from '../events';
import type { DocumentSigner } from '../signature/card-document-signer';
import type { Outbox, OutboxWriter } from '../outbox/outbox';
import type { Platform } from '../platform/port';
import type { LocalStore } from '../store/store';

export type Handler<M extends CoreMethod> = (request: ApiRequest<M>) => Promise<ApiResponse<M>>;
/** One handler per method the core answers (auth.* is the session host's). */
export type CoreHandlers = { [M in CoreMethod]: Handler<M> };
/** An outbox kind a feature may write (the core's journal entries aside). */
export type WriterKind = Parameters<Outbox['registerWriter']>[0];

/** The local journal cache and its sync (main/features/journal/journal-service.ts), as features use it. */
export interface JournalCache {
  hasCache(patientId: string): boolean;
  /** A complete sync, or the newest page of a back-fill under way (progressive open). */
  hasPaintable(patientId: string): boolean;
  /** Stores only the newest page of a never-synced patient; the back-fill follows (refresh). */
  openFirst(patientId: string): Promise<void>;
  pageOnDemand(patientId: string, cursor: string | undefined, limit?: number, filter?: JournalFilter): Promise<JournalPage>;
  sync(patientId: string): Promise<number>;
  refresh(patient: Patient): Promise<void>;
  page(patientId: string, cursor: string | undefined, limit?: number, filter?: JournalFilter): JournalPage;
}

/** Everything a feature is built from: the core's plumbing, the session, and narrow cross-feature queries. */
export interface FeatureContext {
  platform: Platform;
  store: LocalStore;
  /** Every write to the platform goes through it (docs/outbox.md). */
  outbox: Outbox;
  events: EventBus;
  professional: Professional;
  /** Who acts in the audit trail (RPPS, or idNatPS for staff: audit-trail.ts auditActor). */
  actor: string;
  /** The session's role (contract/roles.ts). */
  role(): Role;
  /** Clock of the panels, alerts, agenda and prescriptions (« from today »); tests pin it. */
  now(): Date;
  /** The local day (YYYY-MM-DD) of now(), in the machine's zone: « not before today » is the practice's today. */
  today(): string;
  /** The professional as the lists name them (« Dr Hélène DUFAU »): the requester of what is still in the outbox. */
  requester: Author;
  /** PATIENT_NOT_FOUND unless the patient was opened in this session. */
  assertKnownPatient(patientId: string): void;
  /** Wraps a platform call: the core tracks reachability (and retries the outbox when back online). */
  track<T>(call: () => Promise<T>): Promise<T>;
  /** Patients followed by the professional (platform, else the store): patient feature. */
  followedPatients(): Promise<Patient[]>;
  /** The patient's care team as the panels know it (platform, else the stored answer): panels feature. */
  careTeamOf(patientId: string): Promise<CareTeamMember[]>;
  /** The panels with this window's pending appointment changes laid over the agenda: agenda feature. */
  overlayAgenda(panels: PatientPanels): PatientPanels;
  /** The journal cache of the core (journal feature). */
  journal: JournalCache;
  /** The drug database of the install (BDPM, main/drugs): public data shared by every profile. */
  drugs: DrugCatalog;
  /**
   * How documents (the ordonnance) are signed in this session: with the card's signature key,
   * not at all because this is the demo identity, or by hand after printing (Pro Santé Connect,
   * no card). Absent: as 'print'.
   */
  documentSigning?: DocumentSigning;
}

export type DocumentSigning = { kind: 'card'; signer: DocumentSigner } | { kind: 'demo' } | { kind: 'print' };

/** What a feature gives the core. */
export interface Feature<H extends Partial<CoreHandlers> = Partial<CoreHandlers>> {
  handlers: H;
  writers?: Partial<Record<WriterKind, OutboxWriter>>;
}

type MethodsOf<F> = F extends { handlers: infer H } ? Extract<keyof H, string> : never;
type Duplicated<Fs extends readonly unknown[]> = Fs extends readonly [infer Head, ...infer Tail]
  ? (MethodsOf<Head> & MethodsOf<Tail[number]>) | Duplicated<Tail>
  : never;

/**
 * `unknown` when the features answer every core method exactly once; otherwise an object type
 * naming the culprits, which the argument of mergeFeatures cannot satisfy (a compile error that
 * says which methods).
 */
export type ExactlyOneHandlerEach<Fs extends readonly unknown[]> = [Duplicated<Fs>] extends [never]
  ? [Exclude<CoreMethod, MethodsOf<Fs[number]>>] extends [never]
    ? [Exclude<MethodsOf<Fs[number]>, CoreMethod>] extends [never]
      ? unknown
      : { 'not a core method': Exclude<MethodsOf<Fs[number]>, CoreMethod> }
    : { 'no handler for': Exclude<CoreMethod, MethodsOf<Fs[number]>> }
  : { 'more than one handler for': Duplicated<Fs> };

/**
 * The handler table of the core and the writers to register, from the features. Checked at
 * compile time (ExactlyOneHandlerEach), and again at run time for what a cast could hide.
 */
export function mergeFeatures<const Fs extends readonly Feature[]>(
  features: Fs & ExactlyOneHandlerEach<Fs>,
): { handlers: CoreHandlers; writers: Map<WriterKind, OutboxWriter> } {
  const handlers: Record<string, unknown> = {};
  const writers = new Map<WriterKind, OutboxWriter>();
  for (const feature of features) {
    for (const [method, handler] of Object.entries(feature.handlers)) {
      if (method in handlers) throw new Error(`two handlers for ${method}`);
      handlers[method] = handler;
    }
    for (const [kind, writer] of Object.entries(feature.writers ?? {}) as [WriterKind, OutboxWriter][]) {
      if (writers.has(kind)) throw new Error(`two outbox writers for ${kind}`);
      writers.set(kind, writer);
    }
  }
  return { handlers: handlers as CoreHandlers, writers };
}

/** Registers a feature's writers with the outbox (the core does it for all; tests for one). */
export function registerWriters(outbox: Outbox, writers: Feature['writers'] | Map<WriterKind, OutboxWriter>): void {
  const entries = writers instanceof Map ? [...writers] : (Object.entries(writers ?? {}) as [WriterKind, OutboxWriter][]);
  for (const [kind, writer] of entries) outbox.registerWriter(kind, writer);
}

/** Local day (YYYY-MM-DD) of an instant, in the machine's zone. */
export function localDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** How a professional is named as the requester of an admission or a referral (« Dr » for a physician). */
export function requesterOf(professional: Professional): Author {
  return {
    id: professional.id,
    name: `${professional.profession.code === '10' ? 'Dr ' : ''}${professional.givenName} ${professional.familyName}`,
    roleLabel: professional.roleLabel,
  };
}
