/**
 * Which request bodies the sandbox accepts (issue 11, item 11). A web page of any origin can make
 * the browser send a POST whose Content-Type is text/plain, application/x-www-form-urlencoded or
 * multipart/form-data — or none, with a Blob body — without asking first (a CORS « simple
 * request »): the page cannot read the answer, but the write happens. On the demo platform, which
 * needs no token, that was enough to create a journal entry from any site. Every other content
 * type makes the browser send a preflight OPTIONS first, which this server never approves (it
 * sends no Access-Control-Allow-* header), so the write never leaves the browser.
 *
 * So: a resource is written as FHIR JSON (`application/fhir+json`, `application/json`, or
 * `application/json-patch+json` for a PATCH); a Binary may also be posted as its raw bytes with
 * their own type (image/png, audio/wav, application/pdf…), but never with one of the types a
 * simple request can carry.
 */

const JSON_TYPES = new Set(['application/fhir+json', 'application/json', 'application/json-patch+json']);
/** What a cross-site page can send without a preflight (Fetch standard, CORS-safelisted request-header). */
const SIMPLE_REQUEST_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

/** null: accepted; else why the request is answered 415. `path` is relative to /fhir. */
export function refusedContentType(method: string, path: string, contentType: string): string | null {
  if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH') return null;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (JSON_TYPES.has(mediaType)) return null;
  if (method === 'POST' && path === 'Binary' && mediaType !== '' && !SIMPLE_REQUEST_TYPES.has(mediaType)) return null;
  return `Unsupported Media Type: ${mediaType || 'none'}; send application/fhir+json`;
}
