// The user service's consumers: every event it reacts to and its handler (docs/sagas.md is the contract). The topics
// it reads follow from these events.
import type { InboxConsumer, Logger } from '@blog/framework';
import { AccountCreated, AccountDeletionRequested, BlogRejected } from '@blog/proto';
import { onAccountDeletionRequested } from './deletion.handlers';
import { onAccountCreated, onBlogRejected } from './sign-up.handlers';

/** registerConsumers registers every event handler of the user service on its consumer. */
export function registerConsumers(consumer: InboxConsumer, logger: Logger): InboxConsumer {
  const log = logger.child({ component: 'saga' });
  return consumer
    .on(AccountCreated, onAccountCreated(log))
    .on(BlogRejected, onBlogRejected(log))
    .on(AccountDeletionRequested, onAccountDeletionRequested(log));
}
