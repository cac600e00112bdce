// The BlogService RPCs over real gRPC against the service started in-process on the local stack.
import { randomUUID } from 'node:crypto';
import { blog as api } from '@blog/proto';
import { failureOf } from '@blog/testing';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setStatus } from './repository/blog.repository';
import { arrangeBlog } from './testing/fixtures';
import { startBlog, type BlogHarness } from './testing/harness';

let h: BlogHarness;

beforeAll(async () => {
  h = await startBlog();
});

afterAll(() => h?.stop());

/** failure returns what a failed call answered: its status code name, the fields it named and its message. */
async function failure(call: Promise<unknown>): Promise<{ code: string; fields: string[]; message: string }> {
  const details = await failureOf(call);
  return {
    code: details.codeName,
    fields: details.violations.map((v) => v.field).sort(),
    message: details.message,
  };
}

describe('GetBlog, GetBlogBySlug, GetBlogByOwner', () => {
  it('return the blog by id, slug and owner', async () => {
    const blog = await arrangeBlog(h.store);
    const expected = {
      blogId: blog.blogId,
      ownerId: blog.ownerId,
      slug: blog.slug,
      title: blog.title,
      description: '',
      status: api.BlogStatus.BLOG_STATUS_ACTIVE,
      postCount: 0,
      subscriberCount: 0,
      createdAt: blog.createdAt.toISOString(),
    };
    expect((await h.client.getBlog({ blogId: blog.blogId })).blog).toEqual(expected);
    expect((await h.client.getBlogBySlug({ slug: blog.slug })).blog).toEqual(expected);
    expect((await h.client.getBlogByOwner({ ownerId: blog.ownerId })).blog).toEqual(expected);
  });

  it('still show a DELETING blog, with its status', async () => {
    const blog = await arrangeBlog(h.store);
    await setStatus(h.store, blog.blogId, 'ACTIVE', 'DELETING');
    expect((await h.client.getBlog({ blogId: blog.blogId })).blog?.status).toBe(
      api.BlogStatus.BLOG_STATUS_DELETING,
    );
  });

  it('answer NOT_FOUND for an unknown or DELETED blog', async () => {
    expect((await failure(h.client.getBlog({ blogId: randomUUID() }))).code).toBe('NOT_FOUND');
    expect((await failure(h.client.getBlogBySlug({ slug: 'no-such-blog-here' }))).code).toBe('NOT_FOUND');
    expect((await failure(h.client.getBlogByOwner({ ownerId: randomUUID() }))).code).toBe('NOT_FOUND');
    const blog = await arrangeBlog(h.store);
    await setStatus(h.store, blog.blogId, 'ACTIVE', 'DELETED');
    expect((await failure(h.client.getBlog({ blogId: blog.blogId }))).code).toBe('NOT_FOUND');
    expect((await failure(h.client.getBlogBySlug({ slug: blog.slug }))).code).toBe('NOT_FOUND');
  });

  it('answer INVALID_ARGUMENT naming a malformed id or slug', async () => {
    expect(await failure(h.client.getBlog({ blogId: 'nope' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      fields: ['blogId'],
    });
    expect((await failure(h.client.getBlogBySlug({ slug: 'Not A Slug' }))).fields).toEqual(['slug']);
    expect((await failure(h.client.getBlogByOwner({ ownerId: '' }))).fields).toEqual(['ownerId']);
  });
});

describe('UpdateBlog', () => {
  it('lets the owner change the title and the description, separately or together', async () => {
    const blog = await arrangeBlog(h.store);
    const titled = await h.client.updateBlog({ blogId: blog.blogId, actorId: blog.ownerId, title: 'Notes' });
    expect(titled.blog).toMatchObject({ title: 'Notes', description: '' });
    const both = await h.client.updateBlog({
      blogId: blog.blogId,
      actorId: blog.ownerId,
      title: 'Notes 2',
      description: 'On engines',
    });
    expect(both.blog).toMatchObject({ title: 'Notes 2', description: 'On engines', slug: blog.slug });
    expect((await h.client.getBlog({ blogId: blog.blogId })).blog).toEqual(both.blog);
  });

  it('answers INVALID_ARGUMENT naming each bad field', async () => {
    const blog = await arrangeBlog(h.store);
    const bad = await failure(
      h.client.updateBlog({
        blogId: blog.blogId,
        actorId: blog.ownerId,
        title: 't'.repeat(101),
        description: 'd'.repeat(1001),
      }),
    );
    expect(bad).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['description', 'title'] });
    const empty = await failure(
      h.client.updateBlog({ blogId: blog.blogId, actorId: blog.ownerId, title: '' }),
    );
    expect(empty.fields).toEqual(['title']);
    expect((await h.client.getBlog({ blogId: blog.blogId })).blog?.title).toBe(blog.title);
  });

  it('answers NOT_FOUND for an unknown blog and PERMISSION_DENIED for anyone but the owner', async () => {
    const blog = await arrangeBlog(h.store);
    expect(
      (await failure(h.client.updateBlog({ blogId: randomUUID(), actorId: blog.ownerId, title: 'x' }))).code,
    ).toBe('NOT_FOUND');
    const denied = await failure(
      h.client.updateBlog({ blogId: blog.blogId, actorId: randomUUID(), title: 'x' }),
    );
    expect(denied.code).toBe('PERMISSION_DENIED');
    expect((await h.client.getBlog({ blogId: blog.blogId })).blog?.title).toBe(blog.title);
  });

  it('answers FAILED_PRECONDITION while the blog is DELETING', async () => {
    const blog = await arrangeBlog(h.store);
    await setStatus(h.store, blog.blogId, 'ACTIVE', 'DELETING');
    const locked = h.client.updateBlog({ blogId: blog.blogId, actorId: blog.ownerId, title: 'x' });
    await expect(locked).rejects.toMatchObject({ code: status.FAILED_PRECONDITION });
  });
});
