import { describe, expect, it } from 'vitest';
import { binaryAttachmentUrl } from './attachment-url';

const BASE = 'http://127.0.0.1:8787/fhir';

describe('binaryAttachmentUrl: one Binary of the platform, nothing else', () => {
  it('accepts Binary/<id>, absolute or relative to the base', () => {
    expect(binaryAttachmentUrl(BASE, `${BASE}/Binary/abc-1.2`)).toEqual({ url: `${BASE}/Binary/abc-1.2`, binaryId: 'abc-1.2' });
    expect(binaryAttachmentUrl(`${BASE}/`, 'Binary/xyz')).toEqual({ url: `${BASE}/Binary/xyz`, binaryId: 'xyz' });
  });

  it.each([
    ['a search of another type', `${BASE}/Patient?_count=5`],
    ['a read of another type', `${BASE}/Patient/p1`],
    ['a relative search', 'Patient?_count=5'],
    ['a Binary search', `${BASE}/Binary?_count=5`],
    ['a Binary with a query', `${BASE}/Binary/x?_format=json`],
    ['a Binary history', `${BASE}/Binary/x/_history/1`],
    ['an operation', `${BASE}/$graphql?query=x`],
    ['dot segments out of Binary', `${BASE}/Binary/x/../../Patient`],
    ['an encoded slash', `${BASE}/Binary/x%2F..%2FPatient`],
    ['another host', 'http://example.com/fhir/Binary/x'],
    ['another port', 'http://127.0.0.1:9999/fhir/Binary/x'],
    ['outside the base path', 'http://127.0.0.1:8787/other/Binary/x'],
    ['credentials in the URL', 'http://u:p@127.0.0.1:8787/fhir/Binary/x'],
    ['an empty id', `${BASE}/Binary/`],
  ])('refuses %s', (_what, src) => {
    expect(() => binaryAttachmentUrl(BASE, src)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('refuses a malformed URL as invalid input', () => {
    expect(() => binaryAttachmentUrl(BASE, 'http://[::1')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
