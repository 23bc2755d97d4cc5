import './csp';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { LockController } from './state/lock';
import { createRelaisClient } from './contract';
import { fr } from './i18n/fr';
import { RelaisStore } from './state/store';
import { browserNotifications, PanelsController } from './state/panels';
import { patientShortName } from './components/panels/AlertToasts';
import { formatBirthDate } from './format';
import { createTransport, MissingTokenError, type RendererTransport } from './transport';
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
  const client = createRelaisClient(transport);
  const store = new RelaisStore(client, transport, performance, navigator.onLine);
  window.addEventListener('online', () => store.setBrowserOnline(true));
  window.addEventListener('offline', () => store.setBrowserOnline(false));
  const mediaUrl = transport.mediaUrl.bind(transport);
  // In Electron the shell shows the OS notification itself (main/electron): in-app toasts only here.
  const inElectron = (window as { relais?: unknown }).relais !== undefined;
  const panels = new PanelsController(client, store, {
    notifications: inElectron ? null : browserNotifications(window),
    wording: (patient, alert) => ({
      title: fr.alerts.notificationTitle(fr.alerts.kinds[alert.kind] ?? fr.alerts.kinds.other!, patientShortName(patient)),
      body: [alert.text, alert.author ? `${alert.author.name}, ${alert.author.roleLabel}` : '', fr.alerts.bornOn(formatBirthDate(patient.birthDate))]
        .filter(Boolean)
        .join('\n'),
    }),
  });
  // Session lock: the draft being typed is saved before the lock hides it; unlocking reloads the list.
  const lock = new LockController(client, () => void store.flushDraft(), () => void store.loadPatients());
  root.render(
    <StrictMode>
      <App store={store} mediaUrl={mediaUrl} panels={panels} lock={lock} />
    </StrictMode>,
  );
  void store.start();
}
