// Publishing saga: PENDING -> PUBLISHED, the blog's postCount +1, the post in every ACTIVE subscriber's feed (and
// only theirs), composed with its author and blog. The REJECTED branch (a DELETING blog) needs a stale gateway
// replica and lives in faults/14-deleting-blog.e2e.ts.
import { expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { expectStatus } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';

const { api, sagas } = suite();

scenario('publish saga', [], () => {
  it('publishes: PUBLISHED, postCount +1, in the subscribers’ feeds, composed with author and blog', async () => {
    const [author, reader1, reader2, bystander] = await Promise.all([
      sagas.member('Pa'),
      sagas.member('Pr'),
      sagas.member('Pr'),
      sagas.member('Pb'),
    ]);
    for (const reader of [reader1, reader2])
      expect((await sagas.subscribe(reader, author.blogId)).status).toBe('ACTIVE');

    const post = await sagas.publish(author, {
      title: 'Hello, world',
      content: 'First post.',
      tags: ['intro', 'e2e'],
    });
    expect(post).toMatchObject({ blogId: author.blogId, authorId: author.userId, title: 'Hello, world' });

    const read = await api.get(`/v1/posts/${post.postId}`);
    expectStatus(read, 200);
    expect(read.headers.get('x-partial-response')).toBeNull();
    expect(read.body).toMatchObject({
      postId: post.postId,
      status: 'PUBLISHED',
      content: 'First post.',
      tags: ['intro', 'e2e'],
      author: { userId: author.userId, nickname: author.nickname },
      blog: { blogId: author.blogId, slug: author.slug },
    });

    await eventually(async () => expect((await sagas.blog(author.blogId)).postCount).toBe(1), {
      what: 'postCount 1',
    });
    expect((await sagas.blogPosts(author.blogId)).map((p) => p.postId)).toEqual([post.postId]);
    for (const reader of [reader1, reader2]) {
      await eventually(
        async () => expect((await sagas.feed(reader)).map((p) => p.postId)).toEqual([post.postId]),
        {
          what: `the post in ${reader.nickname}'s feed`,
        },
      );
    }
    expect(await sagas.feed(bystander)).toEqual([]);
  });

  it('hides a PENDING or REJECTED post from everyone but its author and refuses to edit a PENDING one', async () => {
    const author = await sagas.member('Ph');
    const started = await sagas.startPost(author);
    const early = await api.patch(
      `/v1/posts/${started.body.postId}`,
      { title: 'edited' },
      { token: author.token },
    );
    // The saga may already have ended (PUBLISHED: the edit is allowed); while PENDING, the post is locked.
    if (early.status !== 200)
      expect(early.body.error.code, JSON.stringify(early.body)).toBe('FAILED_PRECONDITION');
    const anonymous = await api.get(`/v1/posts/${started.body.postId}`);
    expect([200, 404]).toContain(anonymous.status);
    if (anonymous.status === 200) expect(anonymous.body.status).toBe('PUBLISHED');
    expect((await sagas.awaitPost(author, started)).status).toBe('PUBLISHED');
  });

  it('refuses a post to someone else’s blog with 403, and lists posts newest first', async () => {
    const [owner, other] = await Promise.all([sagas.member('Po'), sagas.member('Px')]);
    const refused = await api.post(
      `/v1/blogs/${owner.blogId}/posts`,
      { title: 't', content: 'c' },
      { token: other.token },
    );
    expectStatus(refused, 403);
    const first = await sagas.publish(owner, { title: 'first' });
    const second = await sagas.publish(owner, { title: 'second' });
    expect((await sagas.blogPosts(owner.blogId)).map((p) => p.postId)).toEqual([second.postId, first.postId]);
    await eventually(async () => expect((await sagas.blog(owner.blogId)).postCount).toBe(2), {
      what: 'postCount 2',
    });
  });
});
