import {
  RelaisError,
  type ApiMethod,
  type ApiRequest,
  type ApiResponse,
  type LaunchContext,
  type OpenedPatient,
  type Patient,
  type Professional,
  type RelaisEvent,
  type Session,
} from '../contract';
import { toErrorShape } from './errors';
import { EventBus } from './events';
import { JournalService } from './journal/journal-service';
import type { Platform } from './platform/port';
import type { LocalStore } from './store/store';

export interface CoreOptions {
  platform: Platform;
  store: LocalStore;
  professional: Professional;
  demo: boolean;
}

type Handlers = { [M in ApiMethod]: (request: ApiRequest<M>) => Promise<ApiResponse<M>> };

/**
 * The core of Relais, host-agnostic: both the Electron shell and the web host wire a platform,
 * a store and an identity into it, then route API calls and launches here.
 */
export class RelaisCore {
  readonly events = new EventBus();
  readonly journal: JournalService;
  private online = true;
  private currentPatientId: string | null = null;
  private lastPatientChanged: RelaisEvent | null = null;

  constructor(private readonly options: CoreOptions) {
    this.journal = new JournalService(options.platform, options.store, this.events);
  }

  get professional(): Professional {
    return this.options.professional;
  }

  readonly handlers: Handlers = {
    'session.current': async () => this.session(),
    'patient.open': async (context) => this.openPatient(context),
    'patient.list': async () => this.listPatients(),
    'journal.page': async ({ patientId, cursor, limit }) => {
      this.assertKnownPatient(patientId);
      if (!this.journal.hasCache(patientId)) await this.journal.sync(patientId);
      return this.journal.page(patientId, cursor, limit);
    },
  };

  session(): Session {
    const { professional, demo, platform } = this.options;
    return { professional, demo, platformUrl: platform.baseUrl, online: this.online };
  }

  /** A launch from the LGC (URL, argv, CLI): opens the patient and tells every window. */
  async launch(context: LaunchContext, channel: string): Promise<void> {
    try {
      await this.openPatient(context, channel);
    } catch (error) {
      this.events.emit({ type: 'launch-failed', error: toErrorShape(error) });
    }
  }

  /** Reports a launch that could not even be parsed, so the window can say why. */
  launchRejected(error: unknown): void {
    this.events.emit({ type: 'launch-failed', error: toErrorShape(error) });
  }

  async openPatient(context: LaunchContext, channel = 'ui'): Promise<OpenedPatient> {
    const { store } = this.options;
    const stored = store.findPatientByIns(context.ins.value);
    const patient = stored && this.journal.hasCache(stored.id) ? stored : await this.resolveOnPlatform(context);
    const cached = this.journal.hasCache(patient.id);
    store.audit(this.professional.rpps, 'patient.open', patient.id, channel);
    this.currentPatientId = patient.id;
    this.lastPatientChanged = { type: 'patient-changed', patient, cached };
    this.events.emit(this.lastPatientChanged);
    if (cached) {
      void this.revalidate(patient);
    } else {
      await this.withPlatform(() => this.journal.sync(patient.id));
      void this.journal.refresh(patient);
    }
    return { patient, cached };
  }

  /** Attachment bytes for the window; only URLs under the platform's base, so no host becomes a proxy. */
  async fetchAttachment(src: string): Promise<{ contentType: string; data: Uint8Array }> {
    const base = new URL(this.options.platform.baseUrl.replace(/\/?$/, '/'));
    let url: URL;
    try {
      url = new URL(src);
    } catch {
      throw new RelaisError('INVALID_INPUT', 'attachment URL malformed', 'src');
    }
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      throw new RelaisError('FORBIDDEN', 'attachment outside the platform', 'src');
    }
    return this.withPlatform(() => this.options.platform.fetchAttachment(url.href));
  }

  /**
   * What a window that connects (or reloads) must hear first: the patient already open, so a
   * launch that arrived before the window subscribed is not lost.
   */
  replayForNewWindow(): RelaisEvent[] {
    return this.lastPatientChanged ? [this.lastPatientChanged] : [];
  }

  get openPatientId(): string | null {
    return this.currentPatientId;
  }

  private async revalidate(patient: Patient): Promise<void> {
    try {
      const fresh = await this.withPlatform(() => this.options.platform.getPatient(patient.id));
      this.options.store.upsertPatient(fresh);
    } catch {
      // Offline or platform error: the journal stays readable from the store; refresh reports it.
    }
    await this.journal.refresh(patient);
  }

  private async resolveOnPlatform(context: LaunchContext): Promise<Patient> {
    const patient = await this.withPlatform(() => this.options.platform.findPatientByIns(context.ins));
    if (!patient) throw new RelaisError('PATIENT_NOT_FOUND', 'no patient with this INS on the platform', 'ins');
    this.options.store.upsertPatient(patient);
    return patient;
  }

  private async listPatients(): Promise<Patient[]> {
    try {
      const patients = await this.withPlatform(() =>
        this.options.platform.listPatientsFollowedBy(this.options.professional.id),
      );
      for (const p of patients) this.options.store.upsertPatient(p);
      return sortPatients(patients);
    } catch (error) {
      if (error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE') {
        return sortPatients(this.options.store.listPatients());
      }
      throw error;
    }
  }

  private assertKnownPatient(patientId: string): void {
    if (!this.options.store.getPatient(patientId)) {
      throw new RelaisError('PATIENT_NOT_FOUND', 'patient not opened in this session', 'patientId');
    }
  }

  /** Tracks reachability from the outcome of every platform call. */
  private async withPlatform<T>(call: () => Promise<T>): Promise<T> {
    try {
      const value = await call();
      this.online = true;
      return value;
    } catch (error) {
      if (error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE') this.online = false;
      throw error;
    }
  }
}

function sortPatients(patients: Patient[]): Patient[] {
  return [...patients].sort(
    (a, b) => a.birthName.localeCompare(b.birthName, 'fr') || a.firstNames.join(' ').localeCompare(b.firstNames.join(' '), 'fr'),
  );
}
