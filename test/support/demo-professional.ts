import type { Professional } from '../../contract';
import { DEMO_GP_ID, DEMO_GP_RPPS } from '../../sandbox/seed/index';

/** Dr Hélène DUFAU, the sandbox's demo GP, as Relais knows her once signed in (tests of the core). */
export const DEMO_GP_PROFESSIONAL: Professional = {
  id: DEMO_GP_ID,
  rpps: DEMO_GP_RPPS,
  idNatPs: `8${DEMO_GP_RPPS}`,
  familyName: 'DUFAU',
  givenName: 'Hélène',
  profession: { code: '10', label: 'Médecin' },
  roleLabel: 'Médecin généraliste',
};
