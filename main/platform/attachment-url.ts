import { RelaisError } from '../../contract';

/** A FHIR logical id (R4: [A-Za-z0-9\-\.]{1,64}). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export interface BinaryAttachmentUrl {
  /** Absolute URL, as the journal mapping stores it (`<baseUrl>/Binary/<id>`). */
  url: string;
  binaryId: string;
}

/**
 * The attachment the window asks for, only when it is a `Binary/<id>` read under the platform's
 * base URL (absolute, or relative to the base): no host becomes a proxy to anywhere else, nor a
 * reader of any other FHIR resource (`Patient?_count=5`, `DocumentReference/x`, `$graphql`…).
 * No query, no fragment, no version: exactly one Binary.
 */
export function binaryAttachmentUrl(baseUrl: string, src: string): BinaryAttachmentUrl {
  const base = new URL(baseUrl.replace(/\/?$/, '/'));
  let url: URL;
  try {
    url = new URL(src, base);
  } catch {
    throw new RelaisError('INVALID_INPUT', 'attachment URL malformed', 'src');
  }
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
    throw new RelaisError('FORBIDDEN', 'attachment outside the platform', 'src');
  }
  const rest = url.pathname.slice(base.pathname.length).split('/');
  const [type, id] = rest;
  if (rest.length !== 2 || type !== 'Binary' || !id || !FHIR_ID.test(id) || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new RelaisError('FORBIDDEN', 'only a Binary of the platform is an attachment', 'src');
  }
  return { url: url.href, binaryId: id };
}
