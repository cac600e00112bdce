// The event the visitor service consumes and the fields its handler reads (deletion saga); the pact this writes is
// verified against the blog service's real outbox (docs/contracts.md).
import { exampleId, Interactions, match, messageContracts } from '@blog/testing/contracts';

const { uuid } = match;

messageContracts('visitor', [
  {
    provider: 'blog',
    event: 'BlogDeleting',
    description: Interactions.blog.blogDeleting,
    content: { blogId: uuid(exampleId(1)), ownerId: uuid(exampleId(2)) },
  },
]);
