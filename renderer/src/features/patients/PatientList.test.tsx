import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { PatientList } from './PatientList';

const patient = (id: string, birthName: string): Patient =>
  ({ id, birthName, usedName: null, firstNames: ['Jean'], birthDate: '1940-01-01', sex: 'M', ins: { value: '1400175123456', status: 'qualified' } }) as unknown as Patient;

const patients = [patient('p-a', 'BERNARD'), patient('p-b', 'COLIN'), patient('p-c', 'LAMBERT')];

function activeOption(currentId: string | null): string | undefined {
  const html = renderToStaticMarkup(<PatientList patients={patients} loading={false} openingId={null} currentId={currentId} onOpen={() => undefined} />);
  return /<li[^>]*aria-selected="true"[^>]*data-patient-id="([^"]+)"/.exec(html)?.[1];
}

describe('PatientList', () => {
  it('highlights the patient on screen, not the first row', () => {
    expect(activeOption('p-c')).toBe('p-c');
  });
  it('starts on the first row when no patient is open', () => {
    expect(activeOption(null)).toBe('p-a');
  });
});
