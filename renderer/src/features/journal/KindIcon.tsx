import type { JournalKind } from '../../contract';

/** 16-px line icons, one per journal kind; decorative (the kind label is always shown). */
const PATHS: Record<JournalKind, string> = {
  text: 'M2 3h12v8H6l-4 3z',
  voice: 'M8 1.5a2 2 0 0 1 2 2v4a2 2 0 0 1-4 0v-4a2 2 0 0 1 2-2zM4 7.5a4 4 0 0 0 8 0M8 11.5v3',
  photo: 'M1.5 4.5h3l1-1.5h5l1 1.5h3v9h-13zM8 6.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z',
  document: 'M3.5 1.5h6l3 3v10h-9zM9.5 1.5v3h3M5.5 8h5M5.5 10.5h5',
  alert: 'M8 1.5l6.5 12h-13zM8 6v3.5M8 11.5v.5',
  appointment: 'M2 3.5h12v10H2zM2 6.5h12M5 1.5v3M11 1.5v3',
  hospitalisation: 'M2.5 14.5v-12h11v12M6.5 5.5h3M8 4v3M6 14.5v-3.5h4v3.5',
  'admission-request': 'M2.5 14.5v-12h11v12M6.5 5.5h3M8 4v3M10.5 13.5h4M12.5 11.5v4',
  referral: 'M2 8h9M8 4.5L11.5 8 8 11.5M13.5 2.5v11',
  pps: 'M3.5 1.5h9v13h-9zM5.5 5l1 1 2-2M5.5 9.5l1 1 2-2M9.5 5.5h1.5M9.5 10h1.5',
  'treatment-change': 'M5.3 2.7a3 3 0 0 1 4.2 0l3.8 3.8a3 3 0 0 1-4.2 4.2L5.3 6.9a3 3 0 0 1 0-4.2zM7.4 8.8l4-4M3 11h4M5 9v4',
};

export function KindIcon({ kind }: { kind: JournalKind }) {
  return (
    <svg className="kind-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={PATHS[kind]} fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}
