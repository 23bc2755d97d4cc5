import { describe, expect, it } from 'vitest';
import { widthClassOf } from './width';

describe('widthClassOf', () => {
  it('splits at 600 and 1100 px', () => {
    expect(widthClassOf(360)).toBe('panel');
    expect(widthClassOf(599)).toBe('panel');
    expect(widthClassOf(600)).toBe('medium');
    expect(widthClassOf(1099)).toBe('medium');
    expect(widthClassOf(1100)).toBe('wide');
    expect(widthClassOf(1920)).toBe('wide');
  });
});
