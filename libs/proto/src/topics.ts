// Kafka topics of the event contract. Debezium's EventRouter routes each outbox row to `events.<aggregatetype>`,
// so an aggregate type here is exactly the `aggregatetype` column that a service writes to its outbox.

/** AggregateTypes lists every outbox aggregate type, by the service that owns it. */
export const AggregateTypes = {
  account: 'auth.account',
  profile: 'user.profile',
  blog: 'blog.blog',
  post: 'post.post',
  subscription: 'subscribe.subscription',
  stats: 'visitor.stats',
} as const;

/** AggregateType is one of the outbox aggregate types. */
export type AggregateType = (typeof AggregateTypes)[keyof typeof AggregateTypes];

/** topicFor returns the topic that Debezium routes an aggregate type's events to. */
export function topicFor(aggregateType: AggregateType): string {
  return `events.${aggregateType}`;
}

/** dlqTopicFor returns the dead-letter topic of an event topic. */
export function dlqTopicFor(topic: string): string {
  return `${topic}.dlq`;
}

/** EventTopics lists every event topic (their `.dlq` twins are created beside them). */
export const EventTopics: readonly string[] = Object.values(AggregateTypes).map(topicFor);
