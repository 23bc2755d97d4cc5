/** The journal's back-fill indicator (progressive open of a patient never opened on this computer). */
export const backfill = {
  label: 'Récupération des entrées plus anciennes',
  progress: (stored: string, total: string | null) =>
    total === null ? `Récupération de l'historique… ${stored} entrées` : `Récupération de l'historique… ${stored} sur ${total}`,
} as const;
