/**
 * What the card signs to sign in to a platform (docs/card-sign-in.md, « Signed message »):
 *
 *   relais-card-auth-v1\n<platform origin>\n<nonce>\n<signedAt, ISO 8601 UTC>
 *
 * The origin is the one Relais is configured with, never one the server names: a fake platform
 * that relays a real platform's nonce gets a signature naming itself, which the real platform
 * refuses. The timestamp bounds how long a captured signature could be of any use.
 */
export const CARD_AUTH_VERSION = 'relais-card-auth-v1';

export interface CardAuthStatement {
  origin: string;
  nonce: string;
  signedAt: string;
}

export function cardAuthMessage(statement: CardAuthStatement): Buffer {
  for (const part of [statement.origin, statement.nonce, statement.signedAt]) {
    // One field per line: a newline inside a field could make two statements sign alike.
    if (part.includes('\n')) throw new Error('card sign-in: a field of the signed message contains a newline');
  }
  return Buffer.from([CARD_AUTH_VERSION, statement.origin, statement.nonce, statement.signedAt].join('\n'), 'utf8');
}
