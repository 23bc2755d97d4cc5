export const DEMO_GP_RPPS = 'PLACEHOLDER';
