// Publish REJECTED: a post submitted to a blog that is DELETING is rejected by the blog service and its saga
// compensates (post REJECTED). Reaching that state through REST needs a client whose token still passes while its
// account is being deleted: a second gateway replica that has not heard of the deletion (its status cache trusts
// ACTIVE for 10 minutes here, 1 s by default), and the blog held in DELETING by stopping the subscribe service,
// whose BlogSubscriptionsCancelled report the blog waits for before it is deleted. The post is submitted only once
// the post service has deleted the blog's earlier posts (its BlogDeleting step), which would delete a new one too.
import { expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { RestClient } from '../support/rest/client';
import { expectStatus, Sagas } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';

const { ctx, api, control, sagas } = suite();

scenario('fault: publish to a DELETING blog', ['control'], () => {
  it('is REJECTED, and the deletion then completes', async () => {
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
});
