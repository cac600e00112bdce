// The visitor service's consumers: every event it reacts to and its handler (docs/sagas.md is the contract). The
// topics it reads follow from these events.
import type { InboxConsumer, Logger } from '@blog/framework';
import { BlogDeleting } from '@blog/proto';
import { onBlogDeleting } from './deletion.handlers';

/** registerConsumers registers every event handler of the visitor service on its consumer. */
export function registerConsumers(consumer: InboxConsumer, logger: Logger): InboxConsumer {
  const log = logger.child({ component: 'saga' });
  return consumer.on(BlogDeleting, onBlogDeleting(log));
}
