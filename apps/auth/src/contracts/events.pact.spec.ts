// The events auth consumes and the fields its handlers read: the sign-up outcomes and the deletion saga's reports;
// the pacts this writes are verified against the producers' real outboxes (docs/contracts.md).
import { exampleId, Interactions, match, messageContracts } from '@blog/testing/contracts';

const { uuid, regex } = match;

messageContracts('auth', [
  {
    provider: 'blog',
    event: 'BlogCreated',
    description: Interactions.blog.blogCreated,
    content: { ownerId: uuid(exampleId(1)) },
  },
  {
    provider: 'user',
    event: 'UserRejected',
    description: Interactions.user.userRejected,
    content: { userId: uuid(exampleId(2)), reason: regex('^NICKNAME_TAKEN$', 'NICKNAME_TAKEN') },
  },
  {
    provider: 'user',
    event: 'UserDeleted',
    description: Interactions.user.userDeletedAccountDeleted,
    content: { userId: uuid(exampleId(3)), cause: 'USER_DELETION_CAUSE_ACCOUNT_DELETED' },
  },
  {
    provider: 'user',
    event: 'UserDeleted',
    description: Interactions.user.userDeletedSignUpRejected,
    content: {
      userId: uuid(exampleId(4)),
      cause: 'USER_DELETION_CAUSE_SIGNUP_REJECTED',
      reason: regex('^BLOG_SLUG_TAKEN$', 'BLOG_SLUG_TAKEN'),
    },
  },
  {
    provider: 'blog',
    event: 'BlogDeleted',
    description: Interactions.blog.blogDeleted,
    content: { ownerId: uuid(exampleId(5)) },
  },
  {
    provider: 'subscribe',
    event: 'AccountSubscriptionsCancelled',
    description: Interactions.subscribe.accountSubscriptionsCancelled,
    content: { accountId: uuid(exampleId(6)) },
  },
  {
    provider: 'visitor',
    event: 'BlogStatsDropped',
    description: Interactions.visitor.blogStatsDropped,
    content: { ownerId: uuid(exampleId(7)) },
  },
]);
