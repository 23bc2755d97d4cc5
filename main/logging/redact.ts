/**
 * What may never reach a log line (issue 16, item 4): patient data, a PIN, a token, a secret.
 * Loggers take an event name and structured fields; a field whose NAME says it carries such data
 * is masked whatever its value, and every string is scrubbed of what looks like an identifier
 * (INS/NIR: 13 or 15 digits; RPPS-like long digit runs stay countable, not readable), a bearer
 * token, a query string, an e-mail. Event names are code constants, never user text.
 */
const MASKED_KEYS =
  /pin|token|secret|password|passphrase|authorization|cookie|key$|^ins$|nir|name|birth|first|given|family|patient|address|phone|mail|text|body|content|note|comment|title|context|traits|holder|subject/i;

const MASK = '[masqué]';

export function scrubText(value: string): string {
  return (
    value
      // URLs: keep scheme, host and path, drop the query and fragment (relais:// launches carry traits there).
      .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s?#"']*)[?#][^\s"']*/gi, '$1?[masqué]')
      .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [masqué]')
      .replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*)?/g, '[jeton]')
      .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}/gi, '[courriel]')
      // INS / NIR (13 digits + 2 key digits, possibly spaced) and any long digit run.
      .replace(/\b[12]\s?\d{2}\s?\d{2}\s?\d{2}\s?\d{3}\s?\d{3}(\s?\d{2})?\b/g, '[numéro]')
      .replace(/\b\d{9,}\b/g, '[numéro]')
      // A 4-to-8-digit PIN next to the word.
      .replace(/\b(pin|code)\b(\W{0,3})\d{4,8}\b/gi, '$1$2[masqué]')
  );
}

export function redactFields(fields: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = MASKED_KEYS.test(key) ? MASK : redactValue(value, depth);
  return out;
}

function redactValue(value: unknown, depth: number): unknown {
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return scrubText(value).slice(0, 500);
  if (value instanceof Error) return scrubText(`${value.name}: ${value.message}`).slice(0, 500);
  if (depth >= 3) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => redactValue(v, depth + 1));
  if (typeof value === 'object') return redactFields(value as Record<string, unknown>, depth + 1);
  return MASK;
}
