// The gateway's recorded interactions with the blog service (contracts/rpc/api-gateway-blog.json) replayed against
// the real service on the real database: the gateway's fake keeps the same contract (apps/api-gateway/src/contracts).
import { readRpcContract, replayRpcContract } from '@blog/testing/contracts';
import { afterAll, beforeAll, it } from 'vitest';
import { arrangeBlog } from '../testing/fixtures';
import { startBlog, type BlogHarness } from '../testing/harness';

let h: BlogHarness;
beforeAll(async () => {
  h = await startBlog();
});
afterAll(() => h?.stop());

it('blog keeps the RPC contract the gateway relies on', async () => {
  await replayRpcContract('blog', readRpcContract('blog'), h.client, {
    'an active blog': async () => {
      const { blogId, ownerId, slug } = await arrangeBlog(h.store);
      return { blogId, ownerId, slug };
    },
  });
});
