// The gateway's recorded interactions with the post service (contracts/rpc/api-gateway-post.json) replayed against
// the real service on the real database: the gateway's fake keeps the same contract (apps/api-gateway/src/contracts).
import { readRpcContract, replayRpcContract } from '@blog/testing/contracts';
import { afterAll, beforeAll, it } from 'vitest';
import { arrangePost } from '../testing/fixtures';
import { startPost, type PostHarness } from '../testing/harness';

let h: PostHarness;
beforeAll(async () => {
  h = await startPost();
});
afterAll(() => h?.stop());

it('post keeps the RPC contract the gateway relies on', async () => {
  const arranged = async (status?: 'PUBLISHED') => {
    const { postId, authorId } = await arrangePost(h.store, { status });
    return { postId, authorId };
  };
  await replayRpcContract('post', readRpcContract('post'), h.client, {
    'a published post': () => arranged('PUBLISHED'),
    'a pending post': () => arranged(),
  });
});
