import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidArgumentError } from '../errors';
import { charCount, isUuid, textField, uuidField, validate } from './validation';

const violations = (schema: z.ZodType, value: unknown) => {
  try {
    validate(schema, value);
    return [];
  } catch (error) {
    return (error as InvalidArgumentError).violations;
  }
};

describe('isUuid', () => {
  it('accepts the canonical form in either case, what PostgreSQL accepts', () => {
    expect(isUuid('7d9f4c1e-2b3a-4c5d-8e6f-0a1b2c3d4e5f')).toBe(true);
    expect(isUuid('7D9F4C1E-2B3A-4C5D-8E6F-0A1B2C3D4E5F')).toBe(true);
  });

  it('refuses anything else', () => {
    for (const value of [
      '',
      'not-a-uuid',
      '7d9f4c1e2b3a4c5d8e6f0a1b2c3d4e5f',
      ' 7d9f4c1e-2b3a-4c5d-8e6f-0a1b2c3d4e5f',
      "x' or 1=1",
    ]) {
      expect(isUuid(value)).toBe(false);
    }
  });
});

describe('charCount', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(charCount('abc')).toBe(3);
    expect(charCount('😀😀')).toBe(2);
    expect('😀😀'.length).toBe(4);
    expect(charCount('')).toBe(0);
  });
});

describe('uuidField and textField', () => {
  const request = z.object({
    blogId: uuidField(),
    title: textField(1, 5, { notBlank: true }),
    description: textField(0, 3).optional(),
  });
  const id = '7d9f4c1e-2b3a-4c5d-8e6f-0a1b2c3d4e5f';

  it('accept values within the bounds, counted in characters', () => {
    expect(violations(request, { blogId: id, title: '😀😀😀😀😀', description: '😀😀😀' })).toEqual([]);
    expect(violations(request, { blogId: id, title: 'x' })).toEqual([]);
  });

  it('name the field and its bounds when a value is outside them', () => {
    expect(violations(request, { blogId: 'b1', title: '', description: 'abcd' })).toEqual([
      { field: 'blogId', message: 'must be a UUID' },
      { field: 'title', message: 'must be 1 to 5 characters' },
      { field: 'description', message: 'must be at most 3 characters' },
    ]);
    expect(violations(request, { blogId: id, title: '😀😀😀😀😀😀' })).toEqual([
      { field: 'title', message: 'must be 1 to 5 characters' },
    ]);
  });

  it('refuses a blank value only when told to', () => {
    expect(violations(request, { blogId: id, title: '   ' })).toEqual([
      { field: 'title', message: 'must not be blank' },
    ]);
    expect(violations(request, { blogId: id, title: 'x', description: '   ' })).toEqual([]);
  });
});
