import './csp';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { LockController } from './features/session/lock-controller';
import { createRelaisClient } from './contract';
import { journalFirstClient, onJournalPainted } from './state/journal-first';
import { fr } from './i18n/fr';
import { createWindowControllers } from './app/controllers';
import { browserNotifications, PanelsController } from './features/panels/controller';
import { PrescriptionController } from './features/prescription/controller';
import { PpsEditController } from './features/pps/controller';
import { AgendaController } from './features/agenda/controller';
import { ReferralController } from './features/referral/controller';
import { FlowController } from './features/flow/controller';
import { SupportRequestController } from './features/support-request/controller';
import { registerSupportRequests } from './features/support-request/SupportSlot';
import { OpinionController } from './features/opinion/controller';
import { registerOpinions } from './features/opinion/OpinionSlot';
import { StaysController } from './features/hospital-stay/controller';
import { registerStays } from './features/hospital-stay/StaysSlot';
import { patientShortName } from './features/panels/AlertToasts';
import { formatBirthDate } from './format';
import { createTransport, MissingTokenError, type RendererTransport } from './transport';
import { SignInScreen } from './features/session/SignInScreen';
import type { AuthStatus, RelaisClient, RelaisEvent } from './contract';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('#root missing from index.html');
const root = createRoot(container);

let transport: RendererTransport | null = null;
try {
  transport = createTransport();
} catch (error) {
  if (!(error instanceof MissingTokenError)) throw error;
}

if (transport === null) {
  root.render(
    <StrictMode>
      <main className="fatal">
        <h1 className="app-name">{fr.app.name}</h1>
        <p role="alert" data-testid="error-banner" className="error-banner">
          {fr.app.missingToken}
        </p>
      </main>
    </StrictMode>,
  );
} else {
  void startWindow(transport);
}

/**
 * Nobody signed in: the sign-in screen, and nothing else is mounted. Signed in: the app. Any
 * change of who is signed in (sign-out, another card's holder) reloads the window, so nothing
 * of one professional's screen survives into the next one's.
 */
async function startWindow(transport: RendererTransport): Promise<void> {
  const early = replayEarlyEvents(createRelaisClient(transport));
  // The journal's calls first when a patient comes on screen (issue 12: launch→paint).
  const client = journalFirstClient(early.client, { onJournalPainted });
  const first = await client.call('auth.status', {});
  if (first.ok && !first.value.signedIn) {
    showSignIn(client, first.value);
    return;
  }
  const signedInAs = first.ok ? (first.value.professional?.idNatPs ?? null) : null;
  client.onEvent((e) => {
    if (e.type === 'auth-changed' && (!e.status.signedIn || e.status.professional?.idNatPs !== signedInAs)) window.location.reload();
  });
  startApp(client, transport);
  early.stopBuffering();
}

/**
 * The host replays what a new window must know (the patient already open, sync state) as soon
 * as it connects, which is before the app's stores exist (auth.status comes first): those events
 * are kept and handed to every listener that subscribes until the app is up.
 */
function replayEarlyEvents(client: RelaisClient): { client: RelaisClient; stopBuffering(): void } {
  const early: RelaisEvent[] = [];
  let stop: (() => void) | null = client.onEvent((e) => early.push(e));
  return {
    client: {
      call: client.call,
      onEvent(listener) {
        const off = client.onEvent(listener);
        for (const e of early) listener(e);
        return off;
      },
    },
    stopBuffering() {
      stop?.();
      stop = null;
      early.length = 0;
    },
  };
}

function showSignIn(client: RelaisClient, initial: AuthStatus): void {
  let status = initial;
  const signedIn = (): null => {
    window.location.reload();
    return null;
  };
  const render = () =>
    root.render(
      <StrictMode>
        <SignInScreen
          status={status}
          onCardSignIn={async (pin) => {
            const r = await client.call('auth.signInCard', { pin });
            return r.ok ? signedIn() : r.error;
          }}
          onDemo={async () => {
            const r = await client.call('auth.signInDemo', {});
            return r.ok ? signedIn() : r.error;
          }}
          onPsc={async () => {
            const r = await client.call('auth.signInPsc', {});
            return r.ok ? signedIn() : r.error;
          }}
          onPscCancel={() => void client.call('auth.cancelPsc', {})}
        />
      </StrictMode>,
    );
  client.onEvent((e) => {
    if (e.type !== 'auth-changed') return;
    if (e.status.signedIn) window.location.reload();
    else {
      status = e.status;
      render();
    }
  });
  render();
}

function startApp(client: RelaisClient, transport: RendererTransport): void {
  const app = createWindowControllers(client, transport, { perf: performance, browserOnline: navigator.onLine });
  window.addEventListener('online', () => app.session.setBrowserOnline(true));
  window.addEventListener('offline', () => app.session.setBrowserOnline(false));
  const mediaUrl = transport.mediaUrl.bind(transport);
  // In Electron the shell shows the OS notification itself (main/electron): in-app toasts only here.
  const inElectron = (window as { relais?: unknown }).relais !== undefined;
  const panels = new PanelsController(client, app.patients, {
    selfId: () => app.session.getState().session?.professional.id ?? null,
    notifications: inElectron ? null : browserNotifications(window),
    wording: (patient, alert) => ({
      title: fr.alerts.notificationTitle(fr.alerts.kinds[alert.kind] ?? fr.alerts.kinds.other!, patientShortName(patient)),
      body: [alert.text, alert.author ? `${alert.author.name}, ${alert.author.roleLabel}` : '', fr.alerts.bornOn(formatBirthDate(patient.birthDate))]
        .filter(Boolean)
        .join('\n'),
    }),
  });
  // A sent ordonnance adds treatments: the panel reloads once the platform has them.
  const prescriptions = new PrescriptionController(client, app.patients, { onSent: () => void panels.reload(), panels });
  const ppsEdit = new PpsEditController(client, panels);
  const agenda = new AgendaController(client, app.session, panels);
  const referrals = new ReferralController(client, app.session, panels);
  // « À traiter », unread badges, « Créer une tâche » (issue 15): the care team comes from the panels.
  const flow = new FlowController(client, { patients: app.patients, careTeam: () => panels.getState().panels.data?.careTeam ?? null, onTaskCreated: () => void panels.reload() });
  registerSupportRequests(new SupportRequestController(client, app.session, panels));
  registerOpinions(new OpinionController(client, app.session, panels));
  registerStays(new StaysController(client, app.session, panels));
  // Session lock: the draft being typed is saved before the lock hides it; unlocking reloads the list.
  const lock = new LockController(client, () => void app.drafts.flushDraft(), () => void app.patients.loadPatients());
  root.render(
    <StrictMode>
      <App
        app={app}
        mediaUrl={mediaUrl}
        panels={panels}
        lock={lock}
        prescriptions={prescriptions}
        ppsEdit={ppsEdit}
        agenda={agenda}
        referrals={referrals}
        flow={flow}
        client={client}
        onSignOut={() => {
          // The draft being typed is saved to the professional's store before it closes.
          void app.drafts.flushDraft().then(() => client.call('auth.signOut', {}));
        }}
      />
    </StrictMode>,
  );
  void app.start();
  void flow.load(false);
}
