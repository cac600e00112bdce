// post as a producer: every consumer's pact on events.post.post is verified against the outbox rows the post
// service's real use cases and handlers write (SubmitPost, UpdatePost, DeletePost, the publish and deletion steps on
// the real database), as Debezium publishes them.
import { randomUUID } from 'node:crypto';
import { must } from '@blog/testing';
import { Interactions, verifyProducer } from '@blog/testing/contracts';
import { afterAll, beforeAll, it } from 'vitest';
import { arrangePost, feeder } from '../testing/fixtures';
import { startPost, type PostHarness } from '../testing/harness';

let h: PostHarness;
beforeAll(async () => {
  h = await startPost();
});
afterAll(() => h?.stop());

it("post's events meet every consumer's pact", async () => {
  await verifyProducer('post', {
    [Interactions.post.postSubmitted]: async () => {
      const { post } = await h.client.submitPost({
        blogId: randomUUID(),
        authorId: randomUUID(),
        title: 'Hello',
        content: 'Hello, world',
        tags: ['news'],
      });
      return (await h.emitted.next('PostSubmitted', must(post).postId)).payload;
    },
    [Interactions.post.postPublished]: async () => {
      const post = await arrangePost(h.store);
      await feeder(h).postAccepted({ postId: post.postId, blogId: post.blogId });
      return (await h.emitted.next('PostPublished', post.postId)).payload;
    },
    [Interactions.post.postUpdated]: async () => {
      const post = await arrangePost(h.store, { status: 'PUBLISHED' });
      await h.client.updatePost({
        postId: post.postId,
        actorId: post.authorId,
        title: 'Edited',
        tags: { values: ['news'] },
        content: undefined,
      });
      return (await h.emitted.next('PostUpdated', post.postId)).payload;
    },
    [Interactions.post.postDeleted]: async () => {
      const post = await arrangePost(h.store, { status: 'PUBLISHED' });
      await h.client.deletePost({ postId: post.postId, actorId: post.authorId });
      return (await h.emitted.next('PostDeleted', post.postId)).payload;
    },
    [Interactions.post.blogPostsDeleted]: async () => {
      const post = await arrangePost(h.store, { status: 'PUBLISHED' });
      await feeder(h).blogDeleting({ blogId: post.blogId, ownerId: post.authorId });
      return (await h.emitted.next('BlogPostsDeleted', post.blogId)).payload;
    },
  });
});
