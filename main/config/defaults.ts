/** The embedded default: the sandbox platform and the demo GP, so a newcomer sees data at once. */
export const DEFAULT_SANDBOX_PORT = 8787;
export const DEFAULT_PLATFORM_URL = `http://127.0.0.1:${DEFAULT_SANDBOX_PORT}/fhir`;
