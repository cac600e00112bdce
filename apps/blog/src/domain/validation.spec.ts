import { InvalidArgumentError, validate } from '@blog/framework';
import { describe, expect, it } from 'vitest';
import { isSlug, slugRequest, updateBlogRequest } from './validation';

const id = '11111111-1111-4111-8111-111111111111';

function violations(run: () => unknown): { field: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return [...(error as InvalidArgumentError).violations];
  }
  throw new Error('expected a validation error');
}

describe('slugs', () => {
  it('accepts 3 to 40 characters of a-z, 0-9 and -', () => {
    expect(isSlug('abc')).toBe(true);
    expect(isSlug('a-1'.padEnd(40, 'x'))).toBe(true);
    expect(isSlug('ab')).toBe(false);
    expect(isSlug('a'.repeat(41))).toBe(false);
    expect(isSlug('Abc')).toBe(false);
    expect(isSlug('a_b')).toBe(false);
  });
  it('names the slug when it is malformed', () => {
    expect(violations(() => validate(slugRequest, { slug: 'NO' }))).toEqual([
      { field: 'slug', message: expect.any(String) },
    ]);
  });
});

describe('updateBlogRequest', () => {
  it('accepts a title of 1 to 100 characters and a description of up to 1000', () => {
    const input = validate(updateBlogRequest, {
      blogId: id,
      actorId: id,
      title: '😀'.repeat(100),
      description: 'd'.repeat(1000),
    });
    expect(input.title).toHaveLength(200);
    expect(validate(updateBlogRequest, { blogId: id, actorId: id, description: '' }).description).toBe('');
  });
  it('names every bad field', () => {
    const found = violations(() =>
      validate(updateBlogRequest, {
        blogId: 'x',
        actorId: '',
        title: 't'.repeat(101),
        description: 'd'.repeat(1001),
      }),
    );
    expect(found.map((v) => v.field).sort()).toEqual(['actorId', 'blogId', 'description', 'title']);
  });
  it('refuses an empty or blank title, with one violation each', () => {
    const request = (title: string) => ({ blogId: id, actorId: id, title });
    expect(violations(() => validate(updateBlogRequest, request('')))).toEqual([
      { field: 'title', message: 'must be 1 to 100 characters' },
    ]);
    expect(violations(() => validate(updateBlogRequest, request('   ')))).toEqual([
      { field: 'title', message: 'must not be blank' },
    ]);
  });
});
