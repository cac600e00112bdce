// Sagas against a DELETING blog are rejected by the blog service and compensate: a post ends REJECTED, a
// subscription ends REJECTED with BLOG_NOT_ACTIVE. The blog is held in DELETING by stopping one of the two services
// whose reports it waits for before it is deleted (subscribe, or post).
//
// The post: its submission needs a client whose token still passes while its account is being deleted: a second
// gateway replica that has not heard of the deletion (its status cache trusts ACTIVE for 10 minutes here, 1 s by
// default), with subscribe stopped. The post is submitted only once the post service has deleted the blog's
// earlier posts (its BlogDeleting step), which would delete a new one too. The subscription: any other reader, with
// post stopped, once the subscribe service has handled BlogDeleting.
import { expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { RestClient } from '../support/rest/client';
import { expectStatus, Sagas } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';

const { ctx, api, control, sagas } = suite();

scenario('fault: sagas against a DELETING blog', ['control'], () => {
  it('a post is REJECTED, and the deletion then completes', async () => {
    const author = await sagas.member('Rd');
    const earlier = await sagas.publish(author);
    const { url: replicaUrl = '' } = await control.startGatewayReplica();
    const replica = new Sagas(new RestClient(replicaUrl), ctx.runDir, { undisturbed: false });
    try {
      expectStatus(await replica.api.get('/v1/users/me', { token: author.token }), 200); // the replica now trusts the token
      await control.stopApp('subscribe');
      try {
        expectStatus(await api.delete('/v1/accounts/me', { token: author.token }), 202);
        await eventually(
          async () => expect((await api.get(`/v1/blogs/${author.blogId}`)).body.status).toBe('DELETING'),
          {
            what: 'the blog DELETING',
          },
        );
        await eventually(async () => expectStatus(await api.get(`/v1/posts/${earlier.postId}`), 404), {
          what: 'the blog’s earlier post deleted',
        });

        const started = await replica.startPost(author);
        const post = await replica.awaitPost(author, started);
        expect(post.status, JSON.stringify(post)).toBe('REJECTED');
        expectStatus(await api.get(`/v1/posts/${started.body.postId}`), 404); // a REJECTED post is the author's alone
      } finally {
        await control.startApp('subscribe');
      }
      await eventually(
        async () => expect((await api.get(`/v1/accounts/${author.userId}`)).body.status).toBe('DELETED'),
        {
          timeoutMs: 30_000,
          what: 'the account DELETED',
        },
      );
      expectStatus(await api.get(`/v1/blogs/${author.blogId}`), 404);
    } finally {
      await control.stopGatewayReplica();
    }
  });

  it('a subscription is REJECTED with BLOG_NOT_ACTIVE, and the deletion then completes', async () => {
    const [author, subscriber, late] = await Promise.all([
      sagas.member('Rs'),
      sagas.member('Rr'),
      sagas.member('Rl'),
    ]);
    expect((await sagas.subscribe(subscriber, author.blogId)).status).toBe('ACTIVE');
    await control.stopApp('post');
    try {
      expectStatus(await api.delete('/v1/accounts/me', { token: author.token }), 202);
      await eventually(
        async () => expect((await api.get(`/v1/blogs/${author.blogId}`)).body.status).toBe('DELETING'),
        {
          what: 'the blog DELETING',
        },
      );
      // The subscribe service has handled BlogDeleting (which would remove a new subscription too) once the earlier one is gone.
      await eventually(
        async () =>
          expectStatus(
            await api.get(`/v1/blogs/${author.blogId}/subscription`, { token: subscriber.token }),
            404,
          ),
        { what: 'the earlier subscription removed' },
      );
      const countBefore = (await api.get(`/v1/blogs/${author.blogId}`)).body.subscriberCount;
      const subscription = await sagas.underFault().subscribe(late, author.blogId);
      expect(subscription).toMatchObject({ status: 'REJECTED', reason: 'BLOG_NOT_ACTIVE' });
      expect(
        (await api.get(`/v1/blogs/${author.blogId}`)).body.subscriberCount,
        'a rejected subscription counts nothing',
      ).toBe(countBefore);
    } finally {
      await control.startApp('post');
    }
    await eventually(
      async () => expect((await api.get(`/v1/accounts/${author.userId}`)).body.status).toBe('DELETED'),
      {
        timeoutMs: 30_000,
        what: 'the account DELETED',
      },
    );
    expectStatus(await api.get(`/v1/blogs/${author.blogId}`), 404);
  });
});
