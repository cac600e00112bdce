// The post service's consumers: every event it reacts to and its handler (docs/sagas.md is the contract). The topics
// it reads follow from these events.
import type { InboxConsumer, Logger } from '@blog/framework';
import { BlogDeleting, PostAccepted, PostRejected } from '@blog/proto';
import { onBlogDeleting } from './deletion.handlers';
import { onPostAccepted, onPostRejected } from './publish.handlers';

/** registerConsumers registers every event handler of the post service on its consumer. */
export function registerConsumers(consumer: InboxConsumer, logger: Logger): InboxConsumer {
  const log = logger.child({ component: 'saga' });
  return consumer
    .on(PostAccepted, onPostAccepted(log))
    .on(PostRejected, onPostRejected(log))
    .on(BlogDeleting, onBlogDeleting(log));
}
