// The events the blog service consumes and the fields its handlers read (sign-up, post, subscription and deletion
// sagas); the pacts this writes are verified against the producers' real outboxes (docs/contracts.md).
import { exampleId, Interactions, match, messageContracts } from '@blog/testing/contracts';

const { uuid, like } = match;

messageContracts('blog', [
  {
    provider: 'user',
    event: 'UserCreated',
    description: Interactions.user.userCreated,
    content: { userId: uuid(exampleId(1)), nickname: like('alice_1'), blogSlug: like('alice-1') },
  },
  {
    provider: 'post',
    event: 'PostSubmitted',
    description: Interactions.post.postSubmitted,
    content: { postId: uuid(exampleId(2)), blogId: uuid(exampleId(3)), authorId: uuid(exampleId(4)) },
  },
  {
    provider: 'post',
    event: 'PostDeleted',
    description: Interactions.post.postDeleted,
    content: { postId: uuid(exampleId(5)), blogId: uuid(exampleId(6)), wasPublished: true },
  },
  {
    provider: 'post',
    event: 'BlogPostsDeleted',
    description: Interactions.post.blogPostsDeleted,
    content: { blogId: uuid(exampleId(7)) },
  },
  {
    provider: 'subscribe',
    event: 'SubscriptionRequested',
    description: Interactions.subscribe.subscriptionRequested,
    content: {
      subscriptionId: uuid(exampleId(8)),
      subscriberId: uuid(exampleId(9)),
      blogId: uuid(exampleId(10)),
    },
  },
  {
    provider: 'subscribe',
    event: 'SubscriptionCancelled',
    description: Interactions.subscribe.subscriptionCancelled,
    content: { subscriptionId: uuid(exampleId(11)), blogId: uuid(exampleId(12)), wasActive: true },
  },
  {
    provider: 'subscribe',
    event: 'BlogSubscriptionsCancelled',
    description: Interactions.subscribe.blogSubscriptionsCancelled,
    content: { blogId: uuid(exampleId(13)) },
  },
  {
    provider: 'auth',
    event: 'AccountDeletionRequested',
    description: Interactions.auth.accountDeletionRequested,
    content: { accountId: uuid(exampleId(14)) },
  },
]);
