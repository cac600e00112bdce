// A published post's edits reach the feed copies; its deletion takes it out of every feed, out of the blog's
// listing and its count (postCount -1), and makes it 404 for everyone.
import { expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { expectStatus } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';

const { api, sagas } = suite();

scenario('post edits and deletion', [], () => {
  it('refreshes feed copies on edit and removes a deleted post from every feed, listing and count', async () => {
    const [author, reader1, reader2] = await Promise.all([
      sagas.member('Da'),
      sagas.member('Dr'),
      sagas.member('Dr'),
    ]);
    for (const reader of [reader1, reader2])
      expect((await sagas.subscribe(reader, author.blogId)).status).toBe('ACTIVE');
    const kept = await sagas.publish(author, { title: 'kept' });
    const doomed = await sagas.publish(author, { title: 'doomed' });
    for (const reader of [reader1, reader2]) {
      await eventually(async () => expect(await sagas.feed(reader)).toHaveLength(2), {
        what: `two posts in ${reader.nickname}'s feed`,
      });
    }
    await eventually(async () => expect((await sagas.blog(author.blogId)).postCount).toBe(2));

    const edited = await api.patch(
      `/v1/posts/${kept.postId}`,
      { title: 'kept, edited' },
      { token: author.token },
    );
    expectStatus(edited, 200);
    expect(edited.body.title).toBe('kept, edited');
    for (const reader of [reader1, reader2]) {
      await eventually(
        async () =>
          expect((await sagas.feed(reader)).find((p) => p.postId === kept.postId)?.title).toBe(
            'kept, edited',
          ),
        { what: 'the edited title in the feed' },
      );
    }

    expectStatus(await api.delete(`/v1/posts/${doomed.postId}`, { token: author.token }), 204);
    expectStatus(await api.get(`/v1/posts/${doomed.postId}`), 404);
    expectStatus(await api.get(`/v1/posts/${doomed.postId}`, { token: author.token }), 404);
    for (const reader of [reader1, reader2]) {
      await eventually(
        async () => expect((await sagas.feed(reader)).map((p) => p.postId)).toEqual([kept.postId]),
        {
          what: `the deleted post out of ${reader.nickname}'s feed`,
        },
      );
    }
    expect((await sagas.blogPosts(author.blogId)).map((p) => p.postId)).toEqual([kept.postId]);
    await eventually(async () => expect((await sagas.blog(author.blogId)).postCount).toBe(1), {
      what: 'postCount 1',
    });
  });

  it('lets only the author edit or delete a post', async () => {
    const [author, other] = await Promise.all([sagas.member('Oa'), sagas.member('Oo')]);
    const post = await sagas.publish(author);
    expectStatus(await api.patch(`/v1/posts/${post.postId}`, { title: 'x' }, { token: other.token }), 403);
    expectStatus(await api.delete(`/v1/posts/${post.postId}`, { token: other.token }), 403);
    expectStatus(await api.get(`/v1/posts/${post.postId}`), 200);
  });
});
