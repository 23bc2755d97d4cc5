/**
 * French wording of a request to the support cell: the labels the journal entry and the FHIR
 * displays carry (the care team and the cell read French), shared by the writer and the adapter.
 */
import type { SupportAsk, SupportReason } from '../../../contract';

export const REASON_LABEL: Record<SupportReason, string> = {
  'complex-situation': 'Situation complexe',
  'return-home': 'Retour à domicile',
  isolation: 'Isolement',
  'care-refusal': 'Refus de soins',
  'carer-exhaustion': "Épuisement de l'aidant",
  other: 'Autre motif',
};

export const ASK_LABEL: Record<SupportAsk, string> = {
  assessment: 'Évaluation de la situation',
  'phone-follow-up': 'Suivi téléphonique régulier',
  'home-help': "Mise en place d'aides",
  pps: 'Élaboration du PPS',
  housing: "Recherche d'hébergement",
  'temporary-stay': 'Hébergement temporaire en établissement',
};

/** « Consentement recueilli auprès du patient / de la personne de confiance / du représentant légal ». */
export const CONSENT_LABEL = { patient: 'du patient', 'trusted-person': 'de la personne de confiance', 'legal-representative': 'du représentant légal' } as const;

export const STEP_LABEL = {
  received: 'Demande reçue par la cellule',
  accepted: 'Demande acceptée',
  'coordinator-named': 'Coordinatrice ou coordinateur nommé',
  'first-contact': 'Premier contact avec le patient',
  'pps-started': 'PPS en cours d’élaboration',
} as const;

const frenchDay = (day: string): string => day.split('-').reverse().join('/');

export interface AnnouncementInput {
  cell: string;
  reason: SupportReason;
  asks: readonly SupportAsk[];
  urgency: 'routine' | 'urgent';
  consentBy: keyof typeof CONSENT_LABEL;
  inPlace?: string | undefined;
  stay?: { from: string; to: string } | undefined;
  onBehalfOf?: string | undefined;
}

/** « Demande d'appui à DAC des Landes : Retour à domicile » + what is asked, consent, in place. */
export function announcementText(r: AnnouncementInput): string {
  const lines = [`Demande d'appui à ${r.cell} : ${REASON_LABEL[r.reason]}${r.urgency === 'urgent' ? ' (urgent)' : ''}`];
  lines.push(`Demandé : ${r.asks.map((a) => ASK_LABEL[a]).join(', ')}.`);
  if (r.stay) lines.push(`Hébergement temporaire du ${frenchDay(r.stay.from)} au ${frenchDay(r.stay.to)}.`);
  lines.push(`Consentement recueilli auprès ${CONSENT_LABEL[r.consentBy]}.`);
  if (r.inPlace) lines.push(`Déjà en place : ${r.inPlace}`);
  if (r.onBehalfOf) lines.push(`Pour le compte de ${r.onBehalfOf}.`);
  return lines.join('\n');
}

export const detailsText = (details: string): string => `Éléments médicaux de la demande d'appui :\n${details}`;
