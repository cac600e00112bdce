// The events the subscribe service consumes and the fields its handlers read (subscription saga, feeds, deletion);
// the pacts this writes are verified against the blog, post and auth real outboxes (docs/contracts.md).
import { exampleId, ISO_TIMESTAMP, Interactions, match, messageContracts } from '@blog/testing/contracts';

const { uuid, like, regex, eachLike } = match;
const timestamp = (example: string) => regex(ISO_TIMESTAMP, example);

messageContracts('subscribe', [
  {
    provider: 'blog',
    event: 'SubscriptionAccepted',
    description: Interactions.blog.subscriptionAccepted,
    content: { subscriptionId: uuid(exampleId(1)) },
  },
  {
    provider: 'blog',
    event: 'SubscriptionRejected',
    description: Interactions.blog.subscriptionRejected,
    content: {
      subscriptionId: uuid(exampleId(2)),
      reason: regex('^(BLOG_NOT_FOUND|BLOG_NOT_ACTIVE|SELF_SUBSCRIPTION)$', 'BLOG_NOT_FOUND'),
    },
  },
  {
    provider: 'blog',
    event: 'BlogDeleting',
    description: Interactions.blog.blogDeleting,
    content: { blogId: uuid(exampleId(3)) },
  },
  {
    provider: 'post',
    event: 'PostPublished',
    description: Interactions.post.postPublished,
    content: {
      meta: { occurredAt: timestamp('2026-01-01T10:00:00.000Z') },
      postId: uuid(exampleId(4)),
      blogId: uuid(exampleId(5)),
      authorId: uuid(exampleId(6)),
      title: like('Hello'),
      tags: eachLike('news'),
      createdAt: timestamp('2026-01-01T09:00:00.000Z'),
      publishedAt: timestamp('2026-01-01T10:00:00.000Z'),
    },
  },
  {
    provider: 'post',
    event: 'PostUpdated',
    description: Interactions.post.postUpdated,
    content: {
      postId: uuid(exampleId(7)),
      title: like('Hello again'),
      tags: eachLike('news'),
      updatedAt: timestamp('2026-01-02T10:00:00.000Z'),
    },
  },
  {
    provider: 'post',
    event: 'PostDeleted',
    description: Interactions.post.postDeleted,
    content: { postId: uuid(exampleId(8)) },
  },
  {
    provider: 'auth',
    event: 'AccountDeletionRequested',
    description: Interactions.auth.accountDeletionRequested,
    content: { accountId: uuid(exampleId(9)) },
  },
]);
