import { describe, expect, it } from 'vitest';
import { departementOf } from './fhir-adapter';
import { announcementText } from './support-text';

describe('support cell request', () => {
  it('finds the département of a home postal code (overseas on three digits)', () => {
    expect(departementOf('40000')).toBe('40');
    expect(departementOf('55100')).toBe('55');
    expect(departementOf('97400')).toBe('974');
    expect(departementOf('2A000')).toBeNull();
    expect(departementOf(undefined)).toBeNull();
  });

  it('announces the request in the journal in the care team’s words', () => {
    const text = announcementText({
      cell: 'Cellule d’appui — DAC des Landes',
      reason: 'carer-exhaustion',
      asks: ['assessment', 'temporary-stay'],
      urgency: 'urgent',
      consentBy: 'trusted-person',
      inPlace: 'Infirmière à domicile',
      stay: { from: '2026-12-10', to: '2026-12-24' },
      onBehalfOf: 'Dr Hélène DUFAU',
    });
    expect(text.split('\n')).toEqual([
      "Demande d'appui à Cellule d’appui — DAC des Landes : Épuisement de l'aidant (urgent)",
      'Demandé : Évaluation de la situation, Hébergement temporaire en établissement.',
      'Hébergement temporaire du 10/12/2026 au 24/12/2026.',
      'Consentement recueilli auprès de la personne de confiance.',
      'Déjà en place : Infirmière à domicile',
      'Pour le compte de Dr Hélène DUFAU.',
    ]);
  });
});
