// blog as a producer: every consumer's pact on events.blog.blog is verified against the outbox rows the blog
// service's real handlers write (its sign-up, post, subscription and deletion steps on the real database), as
// Debezium publishes them.
import { randomUUID } from 'node:crypto';
import { events } from '@blog/proto';
import { Interactions, verifyProducer } from '@blog/testing/contracts';
import { afterAll, beforeAll, it } from 'vitest';
import { arrangeBlog, feeder, uniqueSlug } from '../testing/fixtures';
import { startBlog, type BlogHarness } from '../testing/harness';

let h: BlogHarness;
beforeAll(async () => {
  h = await startBlog();
});
afterAll(() => h?.stop());

const byPost = (postId: string) => (e: { postId: string }) => e.postId === postId;
const bySubscription = (subscriptionId: string) => (e: { subscriptionId: string }) =>
  e.subscriptionId === subscriptionId;

it("blog's events meet every consumer's pact", async () => {
  const feed = feeder(h);
  await verifyProducer('blog', {
    [Interactions.blog.blogCreated]: async () => {
      const userId = randomUUID();
      await feed.userCreated({ userId, nickname: 'pact_owner', blogSlug: uniqueSlug('pact') });
      return (await h.emitted.next('BlogCreated', events.BlogCreated, (e) => e.ownerId === userId)).payload;
    },
    [Interactions.blog.blogRejected]: async () => {
      const taken = await arrangeBlog(h.store);
      const userId = randomUUID();
      await feed.userCreated({ userId, nickname: 'pact_late', blogSlug: taken.slug });
      return (await h.emitted.next('BlogRejected', userId)).payload;
    },
    [Interactions.blog.postAccepted]: async () => {
      const blog = await arrangeBlog(h.store);
      const postId = randomUUID();
      await feed.postSubmitted({ postId, blogId: blog.blogId, authorId: blog.ownerId });
      return (await h.emitted.next('PostAccepted', events.PostAccepted, byPost(postId))).payload;
    },
    [Interactions.blog.postRejected]: async () => {
      const blog = await arrangeBlog(h.store);
      const postId = randomUUID();
      await feed.postSubmitted({ postId, blogId: blog.blogId, authorId: randomUUID() });
      return (await h.emitted.next('PostRejected', events.PostRejected, byPost(postId))).payload;
    },
    [Interactions.blog.subscriptionAccepted]: async () => {
      const blog = await arrangeBlog(h.store);
      const subscriptionId = randomUUID();
      await feed.subscriptionRequested({ subscriptionId, blogId: blog.blogId, subscriberId: randomUUID() });
      const where = bySubscription(subscriptionId);
      return (await h.emitted.next('SubscriptionAccepted', events.SubscriptionAccepted, where)).payload;
    },
    [Interactions.blog.subscriptionRejected]: async () => {
      const subscriptionId = randomUUID();
      await feed.subscriptionRequested({ subscriptionId, blogId: randomUUID(), subscriberId: randomUUID() });
      const where = bySubscription(subscriptionId);
      return (await h.emitted.next('SubscriptionRejected', events.SubscriptionRejected, where)).payload;
    },
    [Interactions.blog.blogDeleting]: async () => {
      const blog = await arrangeBlog(h.store);
      await feed.accountDeletionRequested(blog.ownerId);
      return (await h.emitted.next('BlogDeleting', blog.blogId)).payload;
    },
    [Interactions.blog.blogDeleted]: async () => {
      const blog = await arrangeBlog(h.store);
      const started = await feed.accountDeletionRequested(blog.ownerId);
      await h.emitted.next('BlogDeleting', blog.blogId);
      await feed.blogPostsDeleted({ blogId: blog.blogId, deletedCount: 0 }, started.sagaId);
      await feed.blogSubscriptionsCancelled({ blogId: blog.blogId, cancelledCount: 0 }, started.sagaId);
      const where = (e: events.BlogDeleted) => e.ownerId === blog.ownerId;
      return (await h.emitted.next('BlogDeleted', events.BlogDeleted, where)).payload;
    },
  });
});
