import { config } from 'zod';

/**
 * The page runs under `script-src 'self'` (no 'unsafe-eval'). zod 4 probes `new Function` to
 * JIT-compile object parsers; the probe is caught but still reported as a CSP violation on
 * every start. jitless parsing is plenty fast for our payloads. Imported first by main.tsx,
 * before any schema parses.
 */
config({ jitless: true });
