// Test-only: the real blog service on the local stack (see @blog/testing startOnStack); its tap (`emitted`) sees
// events.blog.blog.
import { AggregateTypes, blog as api } from '@blog/proto';
import { startOnStack, type StackHarness } from '@blog/testing';
import type { BlogConfig } from '../config';
import { blogService } from '../service';

/** BlogHarness is a running blog service and what a test needs around it. */
export type BlogHarness = StackHarness<BlogConfig, typeof api.BlogServiceService>;

/** startBlog starts the service (store on the blog schema). */
export function startBlog(): Promise<BlogHarness> {
  return startOnStack({
    service: blogService,
    definition: api.BlogServiceService,
    schema: 'blog',
    emits: [AggregateTypes.blog],
  });
}
