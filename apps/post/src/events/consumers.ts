// The post service's consumer: which events of which topics it handles (docs/sagas.md is the contract).
import type { InboxConsumer, Logger } from '@blog/framework';
import { AggregateTypes, events, topicFor } from '@blog/proto';
import { onBlogDeleting } from './deletion.handler';
import { onPostAccepted, onPostRejected } from './publish.handlers';

/** consumedTopics are the topics the post service reads. */
export const consumedTopics = [topicFor(AggregateTypes.blog)];

/** registerHandlers wires every event the post service reacts to. */
export function registerHandlers(consumer: InboxConsumer, logger: Logger): InboxConsumer {
  const log = logger.child({ component: 'post-events' });
  return consumer
    .on('PostAccepted', events.PostAccepted, onPostAccepted(log))
    .on('PostRejected', events.PostRejected, onPostRejected(log))
    .on('BlogDeleting', events.BlogDeleting, onBlogDeleting(log));
}
