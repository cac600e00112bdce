// Test-only: the real post service on the local stack (see @blog/testing startOnStack); its tap (`emitted`) sees
// events.post.post.
import { AggregateTypes, post as api } from '@blog/proto';
import { startOnStack, type StackHarness } from '@blog/testing';
import type { PostConfig } from '../config';
import { postService } from '../service';

/** PostHarness is a running post service and what a test needs around it. */
export type PostHarness = StackHarness<PostConfig, typeof api.PostServiceService>;

/** startPost starts the service (store on the post schema). */
export function startPost(): Promise<PostHarness> {
  return startOnStack({
    service: postService,
    definition: api.PostServiceService,
    schema: 'post',
    emits: [AggregateTypes.post],
  });
}
