import { describe, expect, it } from 'vitest';
import { charsetPatternOf, FieldRules, isUuidText, patternMessageOf, patternOf } from './rules';

describe('field rules', () => {
  it('give the whole-value pattern, the alphabet alone and the message of a rule with an alphabet', () => {
    expect(patternOf(FieldRules.nickname).source).toBe('^[A-Za-z0-9_]{3,30}$');
    expect(charsetPatternOf(FieldRules.blogSlug)).toBe('^[a-z0-9-]+$');
    expect(patternMessageOf(FieldRules.blogSlug)).toBe('must be 3 to 40 characters of a-z, 0-9 and -');
    expect(patternMessageOf(FieldRules.nickname)).toBe('must be 3 to 30 characters of A-Z, a-z, 0-9 and _');
  });

  it('accept exactly the values of the contract', () => {
    const slug = patternOf(FieldRules.blogSlug);
    expect(['abc', 'a-1', 'x'.repeat(40)].every((v) => slug.test(v))).toBe(true);
    expect(['ab', 'ABC', 'a_b', 'x'.repeat(41)].some((v) => slug.test(v))).toBe(false);
    expect(() => patternOf(FieldRules.bio)).toThrow(/no charset/);
  });

  it('tell a UUID', () => {
    expect(isUuidText('7D9F4C1E-2B3A-4C5D-8E6F-0A1B2C3D4E5F')).toBe(true);
    expect(isUuidText('7d9f4c1e2b3a4c5d8e6f0a1b2c3d4e5f')).toBe(false);
  });
});
