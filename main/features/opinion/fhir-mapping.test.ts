import { describe, expect, it } from 'vitest';
import { missingPermission } from '../../../contract';
import { answerOf, measurementsText, opinionEntryText } from './fhir-mapping';

describe('opinion mapping', () => {
  it('writes measurements the French way, or nothing when none was taken', () => {
    expect(measurementsText({ lengthCm: 4, widthCm: 2.5, text: ' berges macérées ' })).toBe('longueur 4 cm × largeur 2,5 cm ; berges macérées');
    expect(measurementsText({ widthCm: 1.2 })).toBe('largeur 1,2 cm');
    expect(measurementsText({ text: '  ' })).toBeNull();
    expect(measurementsText(undefined)).toBeNull();
  });

  it('names the referent, the question, the photos and the consent in the journal entry', () => {
    const text = opinionEntryText({ referent: 'Référent plaies', question: 'Quel pansement ?', photos: 2, measurements: { lengthCm: 3 } });
    expect(text.split('\n')).toEqual(["Demande d'avis à Référent plaies", 'Question : Quel pansement ?', 'Mesures : longueur 3 cm', '2 photos jointes.', 'Consentement du patient recueilli.']);
  });

  it('reads the recommendations and the action asked from the Communication', () => {
    const answer = answerOf(
      {
        resourceType: 'Communication',
        status: 'completed',
        sent: '2026-12-01T10:00:00Z',
        payload: [{ contentString: 'Pansement hydrocellulaire.' }, { contentString: 'Photos dans 15 jours.' }, { contentReference: { reference: 'Task/t1', display: 'Réfection du pansement' } }],
      },
      'Dr Camille ETCHEVERRY',
    );
    expect(answer).toEqual({ text: 'Pansement hydrocellulaire.\nPhotos dans 15 jours.', at: '2026-12-01T10:00:00Z', author: 'Dr Camille ETCHEVERRY', action: 'Réfection du pansement' });
    expect(answerOf({ resourceType: 'Communication', status: 'completed', payload: [{ contentString: ' ' }] }, null)).toBeNull();
  });

  it('lets the GP and a nurse ask, never the secretary (the question and photos are medical)', () => {
    const req = { patientId: 'p', referentId: 'r', question: 'q', photos: [], consent: true as const };
    expect(missingPermission('physician', 'opinion.create', req)).toBeNull();
    expect(missingPermission('health-professional', 'opinion.create', req)).toBeNull();
    expect(missingPermission('secretary', 'opinion.create', req)).not.toBeNull();
    expect(missingPermission('secretary', 'opinion.list', { patientId: 'p' })).not.toBeNull();
  });
});
