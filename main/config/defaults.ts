/**
 * Port of the embedded sandbox platform started by `npm start` (scripts/start.ts), which hands
 * its URL to Relais explicitly. There is deliberately no default platform URL: a production
 * install must name its platform (RELAIS_PLATFORM_URL, https), see main/config/platform-url.ts.
 */
export const DEFAULT_SANDBOX_PORT = 8787;
