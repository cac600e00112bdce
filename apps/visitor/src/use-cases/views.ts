// View use cases behind the RPCs: record a view (through the batching recorder: an OK means it is counted) and read
// a post's or a blog's totals.
import type { Queryable } from '@blog/framework';
import type { View } from '../domain/views';
import { blogTotals, postTotals } from '../repository/stats.repository';

/** ViewsDeps are what the view use cases need: the batching recorder and a database to read from. */
export interface ViewsDeps {
  readonly recorder: { record(view: View): Promise<void> };
  readonly store: Queryable;
}

/** Views runs the view use cases. */
export class Views {
  constructor(private readonly deps: ViewsDeps) {}

  /** record resolves once the view's batch committed; a view id seen before is not counted again. */
  record(view: View): Promise<void> {
    return this.deps.recorder.record(view);
  }

  /** postTotal is a post's view count. */
  postTotal(postId: string): ReturnType<typeof postTotals> {
    return postTotals(this.deps.store, postId);
  }

  /** blogTotals are a blog's view counts, all time and today. */
  blogTotals(blogId: string): ReturnType<typeof blogTotals> {
    return blogTotals(this.deps.store, blogId);
  }
}
