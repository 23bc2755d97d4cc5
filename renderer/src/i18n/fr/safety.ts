/**
 * Issue 15 (clinical safety): the active-alert strip, the chart held after a refused launch, the
 * patient named in every dialog, who a message is shown to, and the admission's wording.
 */
export const safety = {
  alertStrip: {
    label: 'Alertes actives',
    none: 'Aucune alerte active',
    handle: 'Prendre en compte',
    handleLabel: (kind: string) => `Prendre en compte l’alerte « ${kind} »`,
    handling: 'Envoi…',
    handledBy: (who: string, when: string) => `Prise en compte par ${who} le ${when}`,
    handledPending: (when: string) => `Prise en compte par vous le ${when} — en cours d’envoi`,
    by: (who: string) => `par ${who}`,
    clinicalHidden: 'Contenu réservé aux soignants',
    severity: { high: 'Urgente', medium: 'Importante', low: 'Information' } as Record<string, string>,
    unhandledCount: (n: number) => (n === 1 ? '1 alerte à prendre en compte' : `${n} alertes à prendre en compte`),
    showHandled: (n: number) => (n === 1 ? '1 alerte déjà prise en compte' : `${n} alertes déjà prises en compte`),
    loadError: 'Alertes indisponibles',
  },
  chartHold: {
    title: 'Ce dossier n’est pas celui affiché par votre logiciel',
    refused: 'Votre logiciel métier a demandé un autre patient, dont l’ouverture a été refusée. Le dossier ci-dessous reste celui de :',
    held: 'Votre logiciel métier demande un autre patient, en attente de votre vérification. Le dossier ci-dessous reste celui de :',
    keep: 'Continuer sur ce dossier',
    orChoose: 'ou ouvrez le bon patient dans la liste.',
    readOnly: 'Lecture seule jusqu’à votre choix.',
  },
  discrepancy: {
    marker: 'Identité confirmée malgré un écart',
    detail: (fields: string) => `Écart constaté avec le logiciel métier : ${fields}. Vérifiez l’identité avant tout acte.`,
  },
  dialogPatient: (birthName: string, firstName: string, birthDate: string) => `${birthName} ${firstName}, né(e) le ${birthDate}`,
  media: {
    label: (patient: string) => `Patient : ${patient}`,
    by: (author: string, when: string) => `${author} — ${when}`,
  },
  confidentiality: {
    legend: 'Qui verra ce message ?',
    medical: 'Réservé aux soignants',
    medicalHint: 'Le secrétariat ne le verra pas.',
    team: 'Visible par toute l’équipe, secrétariat compris',
    teamHint: 'Le secrétariat du cabinet le lira.',
    shown: (who: string) => `Sera visible : ${who}`,
  },
  admission: {
    motiveWarning: 'Le motif sera lu par l’établissement et par toute l’équipe, secrétariat compris : pas de détail clinique ici (le résumé clinique est réservé aux soignants).',
    emergency: 'Urgence vitale : appelez le 15',
  },
};
