import { describe, expect, it } from 'vitest';
import { reconcile, substanceOf } from './reconciliation';

describe('treatments before / after a stay', () => {
  it('says kept, stopped, new and dose changed, changes first', () => {
    const before = [
      { medication: 'Bisoprolol 2,5 mg, comprimé', posology: '1 comprimé le matin' },
      { medication: 'Ramipril 5 mg, gélule', posology: '1 gélule le soir' },
      { medication: 'Paracétamol 1 g, comprimé', posology: '1 comprimé 3 fois par jour' },
    ];
    const after = [
      { medication: 'Bisoprolol 5 mg, comprimé', posology: '1 comprimé le matin' },
      { medication: 'paracetamol 1 g, comprimé', posology: '1 comprimé 3 fois par jour' },
      { medication: 'Furosémide 40 mg, comprimé', posology: '1 comprimé le matin' },
    ];
    const rows = reconcile(before, after);
    expect(rows.map((r) => [r.medication, r.change])).toEqual([
      ['Bisoprolol 5 mg, comprimé', 'dose-changed'],
      ['Furosémide 40 mg, comprimé', 'new'],
      ['Ramipril 5 mg, gélule', 'stopped'],
      ['paracetamol 1 g, comprimé', 'kept'],
    ]);
    expect(rows[0]).toMatchObject({ before: 'Bisoprolol 2,5 mg, comprimé — 1 comprimé le matin', after: 'Bisoprolol 5 mg, comprimé — 1 comprimé le matin' });
    expect(rows[2]).toMatchObject({ before: '1 gélule le soir', after: null });
  });

  it('pairs by substance, accents and case folded', () => {
    expect(substanceOf('Oméprazole 20 mg, gélule')).toBe('omeprazole');
    expect(substanceOf('OMEPRAZOLE')).toBe('omeprazole');
  });
});
