import type { RelaisClient } from '../contract';
import { DraftController } from '../features/journal/draft-controller';
import { CarriedFirstPage } from '../features/journal/carried-page';
import { JournalController } from '../features/journal/controller';
import { OutboxController } from '../features/journal/outbox-controller';
import { IdentityController } from '../features/identity/controller';
import { PatientsController, type Perf } from '../features/patients/controller';
import { SessionController, type Connection } from '../features/session/controller';
import { ErrorController } from '../state/error-controller';

/**
 * The controllers of the patient window that every screen needs (session, patient on screen,
 * identity vigilance, journal, draft, outbox, error banner), wired to one another. Feature
 * controllers (panels, prescription, agenda…) are built on top of these in main.tsx.
 */
export interface WindowControllers {
  errors: ErrorController;
  session: SessionController;
  patients: PatientsController;
  identity: IdentityController;
  journal: JournalController;
  drafts: DraftController;
  outbox: OutboxController;
  /** What the window reads once at start-up. */
  start(): Promise<void>;
  dispose(): void;
}

export function createWindowControllers(
  client: RelaisClient,
  connection: Connection,
  options: { perf?: Perf; browserOnline?: boolean } = {},
): WindowControllers {
  // Built in dependency order; the session's reconnect handler reaches the later ones lazily.
  let resync: () => void = () => {};
  const errors = new ErrorController(() => session.setPlatformOnline(false));
  const session: SessionController = new SessionController(client, connection, errors.show, () => resync(), options.browserOnline ?? true);
  // Before the patients: it must hold the page a `patient-changed` carries when the patient shows.
  const carried = new CarriedFirstPage(client);
  const patients = new PatientsController(client, errors, options.perf ?? globalThis.performance);
  const identity = new IdentityController(client, patients.show, errors.show);
  const outbox = new OutboxController(client, session.setPlatformOnline);
  const journal = new JournalController(client, {
    patients,
    showError: errors.show,
    setPlatformOnline: session.setPlatformOnline,
    track: outbox.track,
    takeCarriedPage: carried.take,
  });
  const drafts = new DraftController(client, {
    patients,
    showError: errors.show,
    track: outbox.track,
    refreshJournal: (patientId) => void journal.refreshFirstPage(patientId),
  });
  // After a reconnection: what was missed while the socket was down.
  resync = () => {
    void session.load();
    if (patients.getState().patients === null) void patients.loadPatients();
    void journal.resync();
  };
  const all = [errors, carried, session, patients, identity, outbox, journal, drafts];
  return {
    errors,
    session,
    patients,
    identity,
    journal,
    drafts,
    outbox,
    start: async () => {
      await Promise.all([session.load(), patients.loadPatients(), outbox.load()]);
    },
    dispose: () => {
      for (const c of all) c.dispose();
    },
  };
}
