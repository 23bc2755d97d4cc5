import { RelaisError, type CareTask, type PatientPanels, type TaskStatus } from '../../../contract';
import type { PanelsPort } from './fhir-adapter';
import type { PanelsCacheRepository as PanelsStore } from '../../store/repositories/panels-cache';

export interface PanelsServiceOptions {
  platform: PanelsPort;
  store: PanelsStore;
  /** Practitioner id of the signed-in professional. */
  professionalId: string;
  /** Wraps every platform call (the core tracks reachability with it). */
  track?: <T>(call: () => Promise<T>) => Promise<T>;
  now?: () => Date;
}

/**
 * The panels of a patient: from the platform, kept in the store (last answer per patient), and
 * read from the store — with the date of that answer — while the platform cannot be reached.
 */
export class PanelsService {
  constructor(private readonly options: PanelsServiceOptions) {}

  private track<T>(call: () => Promise<T>): Promise<T> {
    return this.options.track ? this.options.track(call) : call();
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async get(patientId: string): Promise<PatientPanels> {
    const { platform, store, professionalId } = this.options;
    const now = this.now();
    // The agenda shows the whole current day onwards.
    const from = `${now.toISOString().slice(0, 10)}T00:00:00Z`;
    try {
      const fresh = await this.track(() => platform.getPatientPanels(patientId, { professionalId, from }));
      const panels: PatientPanels = { ...fresh, source: 'platform', fetchedAt: now.toISOString() };
      store.putPanels(panels);
      return panels;
    } catch (error) {
      if (error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE') {
        const cached = store.getPanels(patientId);
        if (cached) return { ...cached, source: 'store' };
      }
      throw error;
    }
  }

  /** Moves a task; the cached panels of its patient follow, so offline reading stays current. */
  async updateTaskStatus(taskId: string, status: TaskStatus, version?: string): Promise<CareTask> {
    const { platform, store, professionalId } = this.options;
    const task = await this.track(() =>
      platform.updateTaskStatus(taskId, status, { professionalId, ...(version !== undefined ? { version } : {}) }),
    );
    const cached = store.getPanels(task.patientId);
    if (cached) store.putPanels({ ...cached, tasks: cached.tasks.map((t) => (t.id === task.id ? task : t)) });
    return task;
  }
}
