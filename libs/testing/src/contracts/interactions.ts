// The message interactions of the contract layer, one per event and situation: the consumer tests name what they
// expect with these descriptions and each producer's verification maps them to the code path that emits the event.
// A saga step that emits a new event or a new variant of one gets its line here (docs/contracts.md).

/** Interactions are the descriptions of every message interaction, by producing service. */
export const Interactions = {
  auth: {
    accountCreated: 'AccountCreated: an account was created',
    accountDeletionRequested: 'AccountDeletionRequested: an active account asked to be deleted',
  },
  user: {
    userCreated: 'UserCreated: a profile was created',
    userRejected: 'UserRejected: the nickname was taken',
    userDeletedAccountDeleted: 'UserDeleted: the profile of a deleted account was deleted',
    userDeletedSignUpRejected: 'UserDeleted: the profile of a rejected sign-up was deleted',
  },
  blog: {
    blogCreated: 'BlogCreated: a blog was created',
    blogRejected: 'BlogRejected: the blog slug was taken',
    postAccepted: 'PostAccepted: the blog accepted a post',
    postRejected: 'PostRejected: the blog rejected a post',
    subscriptionAccepted: 'SubscriptionAccepted: the blog accepted a subscription',
    subscriptionRejected: 'SubscriptionRejected: the blog rejected a subscription',
    blogDeleting: "BlogDeleting: the owner's account is being deleted",
    blogDeleted: 'BlogDeleted: the blog of a deleted account was deleted',
  },
  post: {
    postSubmitted: 'PostSubmitted: a post was submitted',
    postPublished: 'PostPublished: an accepted post was published',
    postUpdated: 'PostUpdated: a published post was edited',
    postDeleted: 'PostDeleted: a published post was deleted',
    blogPostsDeleted: "BlogPostsDeleted: a deleting blog's posts were deleted",
  },
  subscribe: {
    subscriptionRequested: 'SubscriptionRequested: a reader subscribed',
    subscriptionCancelled: 'SubscriptionCancelled: an active subscription was cancelled',
    accountSubscriptionsCancelled:
      "AccountSubscriptionsCancelled: a deleted account's subscriptions were cancelled",
    blogSubscriptionsCancelled: "BlogSubscriptionsCancelled: a deleting blog's subscriptions were cancelled",
  },
  visitor: {
    blogStatsDropped: "BlogStatsDropped: a deleting blog's statistics were dropped",
  },
} as const;
