// Every event of the contract as a typed descriptor (event-descriptor.ts): its type, message, aggregate (hence
// topic) and what a well-formed payload holds. Ids that services generate are UUIDs; a record whose payload breaks
// these goes to the dead-letter topic at once, naming the field. An id that may legitimately be something else
// (BlogDeleted's blogId is '' for an owner without a blog; a rejection may name an id the caller made up) is not
// declared. contract.spec.ts keeps this list and blog/events/v1 in step.
import { defineEvent } from './event-descriptor';
import * as events from './events';
import { FieldRules } from './rules';
import { AggregateTypes } from './topics';

const { account, profile, blog, post, subscription, stats } = AggregateTypes;

// auth.account
/** AccountCreated starts the sign-up saga. */
export const AccountCreated = defineEvent({
  type: 'AccountCreated',
  message: events.AccountCreated,
  aggregate: account,
  uuids: ['accountId'],
  required: ['nickname'],
  patterns: { nickname: FieldRules.nickname },
});
/** AccountActivated ends a sign-up (ACTIVE). */
export const AccountActivated = defineEvent({
  type: 'AccountActivated',
  message: events.AccountActivated,
  aggregate: account,
  uuids: ['accountId'],
});
/** AccountRejected ends a sign-up (REJECTED). */
export const AccountRejected = defineEvent({
  type: 'AccountRejected',
  message: events.AccountRejected,
  aggregate: account,
  uuids: ['accountId'],
});
/** AccountDeletionRequested starts the deletion saga. */
export const AccountDeletionRequested = defineEvent({
  type: 'AccountDeletionRequested',
  message: events.AccountDeletionRequested,
  aggregate: account,
  uuids: ['accountId'],
});
/** AccountDeleted ends the deletion saga. */
export const AccountDeleted = defineEvent({
  type: 'AccountDeleted',
  message: events.AccountDeleted,
  aggregate: account,
  uuids: ['accountId'],
});

// user.profile
/** UserCreated: the profile exists. */
export const UserCreated = defineEvent({
  type: 'UserCreated',
  message: events.UserCreated,
  aggregate: profile,
  uuids: ['userId'],
});
/** UserRejected: the nickname was taken. */
export const UserRejected = defineEvent({
  type: 'UserRejected',
  message: events.UserRejected,
  aggregate: profile,
  uuids: ['userId'],
});
/** UserDeleted: the profile is gone (sign-up compensation or account deletion). */
export const UserDeleted = defineEvent({
  type: 'UserDeleted',
  message: events.UserDeleted,
  aggregate: profile,
  uuids: ['userId'],
});
/** UserUpdated: nickname or bio changed. */
export const UserUpdated = defineEvent({
  type: 'UserUpdated',
  message: events.UserUpdated,
  aggregate: profile,
  uuids: ['userId'],
});

// blog.blog
/** BlogCreated ends the blog step of a sign-up. */
export const BlogCreated = defineEvent({
  type: 'BlogCreated',
  message: events.BlogCreated,
  aggregate: blog,
  uuids: ['blogId', 'ownerId'],
});
/** BlogRejected: the slug was taken (or invalid). */
export const BlogRejected = defineEvent({
  type: 'BlogRejected',
  message: events.BlogRejected,
  aggregate: blog,
  uuids: ['ownerId'],
});
/** PostAccepted: the blog counted the post. */
export const PostAccepted = defineEvent({
  type: 'PostAccepted',
  message: events.PostAccepted,
  aggregate: blog,
  uuids: ['postId', 'blogId'],
});
/** PostRejected: the blog refused the post. */
export const PostRejected = defineEvent({
  type: 'PostRejected',
  message: events.PostRejected,
  aggregate: blog,
  uuids: ['postId'],
});
/** SubscriptionAccepted: the blog counted the subscription. */
export const SubscriptionAccepted = defineEvent({
  type: 'SubscriptionAccepted',
  message: events.SubscriptionAccepted,
  aggregate: blog,
  uuids: ['subscriptionId', 'blogId', 'subscriberId'],
});
/** SubscriptionRejected: the blog refused the subscription. */
export const SubscriptionRejected = defineEvent({
  type: 'SubscriptionRejected',
  message: events.SubscriptionRejected,
  aggregate: blog,
  uuids: ['subscriptionId', 'subscriberId'],
});
/** BlogDeleting: the blog is locked for deletion; participants clean up. */
export const BlogDeleting = defineEvent({
  type: 'BlogDeleting',
  message: events.BlogDeleting,
  aggregate: blog,
  uuids: ['blogId', 'ownerId'],
});
/** BlogDeleted: the blog step of the deletion is done (blogId '' when the owner had none). */
export const BlogDeleted = defineEvent({
  type: 'BlogDeleted',
  message: events.BlogDeleted,
  aggregate: blog,
  uuids: ['ownerId'],
});

// post.post
/** PostSubmitted starts the publish saga. */
export const PostSubmitted = defineEvent({
  type: 'PostSubmitted',
  message: events.PostSubmitted,
  aggregate: post,
  uuids: ['postId'],
});
/** PostPublished: the post is public (feeds). */
export const PostPublished = defineEvent({
  type: 'PostPublished',
  message: events.PostPublished,
  aggregate: post,
  uuids: ['postId', 'blogId', 'authorId'],
});
/** PostUpdated: a post's title or tags changed. */
export const PostUpdated = defineEvent({
  type: 'PostUpdated',
  message: events.PostUpdated,
  aggregate: post,
  uuids: ['postId', 'blogId'],
});
/** PostDeleted: a post is gone. */
export const PostDeleted = defineEvent({
  type: 'PostDeleted',
  message: events.PostDeleted,
  aggregate: post,
  uuids: ['postId'],
});
/** BlogPostsDeleted: post's report in the deletion saga. */
export const BlogPostsDeleted = defineEvent({
  type: 'BlogPostsDeleted',
  message: events.BlogPostsDeleted,
  aggregate: post,
  uuids: ['blogId'],
});

// subscribe.subscription
/** SubscriptionRequested starts the subscribe saga. */
export const SubscriptionRequested = defineEvent({
  type: 'SubscriptionRequested',
  message: events.SubscriptionRequested,
  aggregate: subscription,
  uuids: ['subscriptionId', 'subscriberId'],
});
/** SubscriptionActivated ends the subscribe saga (ACTIVE). */
export const SubscriptionActivated = defineEvent({
  type: 'SubscriptionActivated',
  message: events.SubscriptionActivated,
  aggregate: subscription,
  uuids: ['subscriptionId', 'subscriberId', 'blogId'],
});
/** SubscriptionCancelled: a subscription ended. */
export const SubscriptionCancelled = defineEvent({
  type: 'SubscriptionCancelled',
  message: events.SubscriptionCancelled,
  aggregate: subscription,
  uuids: ['subscriptionId', 'subscriberId'],
});
/** AccountSubscriptionsCancelled: subscribe's report on the account in the deletion saga. */
export const AccountSubscriptionsCancelled = defineEvent({
  type: 'AccountSubscriptionsCancelled',
  message: events.AccountSubscriptionsCancelled,
  aggregate: subscription,
  uuids: ['accountId'],
});
/** BlogSubscriptionsCancelled: subscribe's report on the blog in the deletion saga. */
export const BlogSubscriptionsCancelled = defineEvent({
  type: 'BlogSubscriptionsCancelled',
  message: events.BlogSubscriptionsCancelled,
  aggregate: subscription,
  uuids: ['blogId'],
});

// visitor.stats
/** BlogStatsDropped: visitor's report in the deletion saga. */
export const BlogStatsDropped = defineEvent({
  type: 'BlogStatsDropped',
  message: events.BlogStatsDropped,
  aggregate: stats,
  uuids: ['blogId', 'ownerId'],
});

/** EventTypes lists every event descriptor of the contract. */
export const EventTypes = [
  AccountCreated,
  AccountActivated,
  AccountRejected,
  AccountDeletionRequested,
  AccountDeleted,
  UserCreated,
  UserRejected,
  UserDeleted,
  UserUpdated,
  BlogCreated,
  BlogRejected,
  PostAccepted,
  PostRejected,
  SubscriptionAccepted,
  SubscriptionRejected,
  BlogDeleting,
  BlogDeleted,
  PostSubmitted,
  PostPublished,
  PostUpdated,
  PostDeleted,
  BlogPostsDeleted,
  SubscriptionRequested,
  SubscriptionActivated,
  SubscriptionCancelled,
  AccountSubscriptionsCancelled,
  BlogSubscriptionsCancelled,
  BlogStatsDropped,
] as const;
