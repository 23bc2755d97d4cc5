/**
 * RPPS of the demo GP of the embedded sandbox (Dr Hélène DUFAU, test range 899700…), used when
 * no card is present. A test checks that the sandbox seeds this very professional.
 */
export const DEMO_GP_RPPS = '99700001011';
