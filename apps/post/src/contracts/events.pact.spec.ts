// The events the post service consumes and the fields its handlers read (publish and deletion sagas); the pacts
// this writes are verified against the blog service's real outbox (docs/contracts.md).
import { exampleId, Interactions, match, messageContracts } from '@blog/testing/contracts';

const { uuid, regex } = match;

messageContracts('post', [
  {
    provider: 'blog',
    event: 'PostAccepted',
    description: Interactions.blog.postAccepted,
    content: { postId: uuid(exampleId(1)) },
  },
  {
    provider: 'blog',
    event: 'PostRejected',
    description: Interactions.blog.postRejected,
    content: {
      postId: uuid(exampleId(2)),
      reason: regex('^(BLOG_NOT_FOUND|BLOG_NOT_ACTIVE|NOT_OWNER)$', 'NOT_OWNER'),
    },
  },
  {
    provider: 'blog',
    event: 'BlogDeleting',
    description: Interactions.blog.blogDeleting,
    content: { blogId: uuid(exampleId(3)) },
  },
]);
