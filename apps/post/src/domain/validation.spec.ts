import { InvalidArgumentError, validate } from '@blog/framework';
import { describe, expect, it } from 'vitest';
import { listBlogPostsRequest, submitPostRequest, updatePostRequest } from './validation';

const id = '11111111-1111-4111-8111-111111111111';
const submit = { blogId: id, authorId: id, title: 'Title', content: 'Body', tags: ['go', 'k8s-1'] };

function fields(schema: Parameters<typeof validate>[0], value: unknown): string[] {
  try {
    validate(schema, value);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as InvalidArgumentError).violations.map((v) => v.field).sort();
  }
  throw new Error('expected a validation error');
}

describe('submitPostRequest', () => {
  it('accepts the limits: title 200, content 100000 characters, 10 tags of 30', () => {
    const tags = Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(30, 'x'));
    const input = validate(submitPostRequest, {
      ...submit,
      title: '😀'.repeat(200),
      content: 'c'.repeat(100_000),
      tags,
    });
    expect(input.tags).toEqual(tags);
  });

  it('names title, content and tags when each is out of bounds', () => {
    expect(fields(submitPostRequest, { ...submit, title: '', content: '', tags: ['Bad Tag'] })).toEqual([
      'content',
      'tags',
      'title',
    ]);
    expect(fields(submitPostRequest, { ...submit, title: 't'.repeat(201) })).toEqual(['title']);
    expect(fields(submitPostRequest, { ...submit, title: '  ' })).toEqual(['title']);
    expect(fields(submitPostRequest, { ...submit, content: 'c'.repeat(100_001) })).toEqual(['content']);
    expect(
      fields(submitPostRequest, { ...submit, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }),
    ).toEqual(['tags']);
    expect(fields(submitPostRequest, { ...submit, tags: ['ok', 'x'.repeat(31)] })).toEqual(['tags']);
    expect(fields(submitPostRequest, { ...submit, tags: [''] })).toEqual(['tags']);
    expect(fields(submitPostRequest, { ...submit, blogId: 'x', authorId: '' })).toEqual([
      'authorId',
      'blogId',
    ]);
  });
});

describe('listBlogPostsRequest', () => {
  it('defaults the limit to 20 and accepts 1 to 100', () => {
    expect(validate(listBlogPostsRequest, { blogId: id, limit: 0, cursor: '' }).limit).toBe(20);
    expect(validate(listBlogPostsRequest, { blogId: id, limit: 1, cursor: '' }).limit).toBe(1);
    expect(validate(listBlogPostsRequest, { blogId: id, limit: 100, cursor: '' }).limit).toBe(100);
  });
  it('names the limit out of bounds', () => {
    expect(fields(listBlogPostsRequest, { blogId: id, limit: 101, cursor: '' })).toEqual(['limit']);
    expect(fields(listBlogPostsRequest, { blogId: id, limit: -1, cursor: '' })).toEqual(['limit']);
  });
});

describe('updatePostRequest', () => {
  it('takes absent fields as unchanged and an empty tag list as a change', () => {
    expect(validate(updatePostRequest, { postId: id, actorId: id })).toEqual({ postId: id, actorId: id });
    expect(validate(updatePostRequest, { postId: id, actorId: id, tags: [] }).tags).toEqual([]);
  });
  it('names each bad field', () => {
    expect(
      fields(updatePostRequest, { postId: id, actorId: id, title: '', content: '', tags: ['A'] }),
    ).toEqual(['content', 'tags', 'title']);
  });
});
