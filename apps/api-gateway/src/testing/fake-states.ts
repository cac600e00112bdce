// The RPC contracts' states on the gateway's side: each named state arranged in the FakeWorld the gateway's tests
// run against (the real services arrange the same names in their own databases: apps/*/src/contracts).
import { randomBytes, randomUUID } from 'node:crypto';
import { auth, blog, post, subscribe } from '@blog/proto';
import type { RpcStates } from '@blog/testing/contracts';
import type { FakeWorld } from './fake-world';

const now = () => new Date().toISOString();

/** fakeStates arranges each state of the contracts in `world`; subscribe is the fake subscribe service's client. */
export function fakeStates(
  world: FakeWorld,
  clients: { subscribe: { subscribe(r: subscribe.SubscribeRequest): Promise<subscribe.SubscribeResponse> } },
): Record<string, RpcStates> {
  const suffix = () => randomBytes(5).toString('hex');
  const publishedOrPending = async (status: post.PostStatus) => {
    const [postId, authorId] = [randomUUID(), randomUUID()];
    world.posts.set(postId, {
      postId,
      blogId: randomUUID(),
      authorId,
      title: 'Arranged',
      content: 'Arranged content',
      tags: ['it'],
      status,
      createdAt: now(),
      updatedAt: now(),
    });
    return { postId, authorId };
  };
  return {
    auth: {
      'an active account': async () => {
        const [accountId, email, password] = [
          randomUUID(),
          `pact-${suffix()}@example.com`,
          `pw-${suffix()}-secret`,
        ];
        world.accounts.set(accountId, {
          accountId,
          status: auth.AccountStatus.ACCOUNT_STATUS_ACTIVE,
          reason: auth.RejectionReason.REJECTION_REASON_UNSPECIFIED,
          createdAt: now(),
          email,
          password,
          nickname: `pact_${suffix()}`,
          blogSlug: `pact-${suffix()}`,
        });
        return { accountId, email, password };
      },
    },
    user: {
      'a user': async () => {
        const [userId, nickname] = [randomUUID(), `pact_${suffix()}`];
        world.users.set(userId, { userId, nickname, bio: '', createdAt: now() });
        return { userId, nickname };
      },
    },
    blog: {
      'an active blog': async () => {
        const [blogId, ownerId, slug] = [randomUUID(), randomUUID(), `pact-${suffix()}`];
        world.blogs.set(blogId, {
          blogId,
          ownerId,
          slug,
          title: 'arranged',
          description: '',
          status: blog.BlogStatus.BLOG_STATUS_ACTIVE,
          postCount: 0,
          subscriberCount: 0,
          createdAt: now(),
        });
        return { blogId, ownerId, slug };
      },
    },
    post: {
      'a published post': () => publishedOrPending(post.PostStatus.POST_STATUS_PUBLISHED),
      'a pending post': () => publishedOrPending(post.PostStatus.POST_STATUS_PENDING),
    },
    subscribe: {
      'a pending subscription': async () => {
        const [subscriberId, blogId] = [randomUUID(), randomUUID()];
        const { subscription } = await clients.subscribe.subscribe({ subscriberId, blogId });
        return { subscriberId, blogId, subscriptionId: subscription?.subscriptionId ?? '' };
      },
    },
    visitor: {},
  };
}
