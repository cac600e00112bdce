// The counting rules of views, without I/O: which views of a batch are distinct, which viewers are new where,
// and by how much each counter moves. Counters only ever move by what a batch actually added (+n), so replayed
// or concurrent batches can never count a view or a visitor twice.

/** View is one RecordView call. */
export interface View {
  readonly viewId: string;
  readonly postId: string;
  readonly blogId: string;
  readonly viewerId: string;
}

/** RecordedView is a view the database accepted as new, stamped with its UTC day (YYYY-MM-DD). */
export interface RecordedView extends View {
  readonly day: string;
}

/** PostViewer, BlogViewer and DayViewer are viewers seen for the first time on a post, a blog, a blog's day. */
export interface PostViewer {
  readonly postId: string;
  readonly blogId: string;
  readonly viewerId: string;
}
/** BlogViewer is a viewer of a blog. */
export interface BlogViewer {
  readonly blogId: string;
  readonly viewerId: string;
}
/** DayViewer is a viewer of a blog on one UTC day. */
export interface DayViewer {
  readonly blogId: string;
  readonly day: string;
  readonly viewerId: string;
}

/** Increment is how much one counter row moves: views and unique visitors added. */
export interface Increment {
  views: number;
  uniqueVisitors: number;
}

/** CounterDeltas are the increments of one batch, per post, per blog and per blog and day, sorted by key. */
export interface CounterDeltas {
  readonly posts: (Increment & { postId: string; blogId: string })[];
  readonly blogs: (Increment & { blogId: string })[];
  readonly days: (Increment & { blogId: string; day: string })[];
}

/** distinctViews keeps the first view of each view id: a call retried inside one batch counts once. */
export function distinctViews(views: readonly View[]): View[] {
  const seen = new Map<string, View>();
  for (const view of views) if (!seen.has(view.viewId)) seen.set(view.viewId, view);
  return [...seen.values()];
}

/** viewersOf lists the distinct (post, viewer), (blog, viewer) and (blog, day, viewer) pairs of recorded views. */
export function viewersOf(recorded: readonly RecordedView[]): {
  posts: PostViewer[];
  blogs: BlogViewer[];
  days: DayViewer[];
} {
  const posts = new Map<string, PostViewer>();
  const blogs = new Map<string, BlogViewer>();
  const days = new Map<string, DayViewer>();
  for (const { postId, blogId, viewerId, day } of recorded) {
    posts.set(key(postId, viewerId), { postId, blogId, viewerId });
    blogs.set(key(blogId, viewerId), { blogId, viewerId });
    days.set(key(blogId, day, viewerId), { blogId, day, viewerId });
  }
  return { posts: [...posts.values()], blogs: [...blogs.values()], days: [...days.values()] };
}

/**
 * counterDeltas adds up a batch: one view per recorded view, one unique visitor per viewer that was new to the
 * post, the blog or the blog's day (the rows the viewer-set inserts actually inserted).
 */
export function counterDeltas(
  recorded: readonly RecordedView[],
  fresh: { posts: readonly PostViewer[]; blogs: readonly BlogViewer[]; days: readonly DayViewer[] },
): CounterDeltas {
  const posts = new Map<string, Increment & { postId: string; blogId: string }>();
  const blogs = new Map<string, Increment & { blogId: string }>();
  const days = new Map<string, Increment & { blogId: string; day: string }>();
  const post = (postId: string, blogId: string) =>
    getOrAdd(posts, postId, () => ({ postId, blogId, views: 0, uniqueVisitors: 0 }));
  const blog = (blogId: string) => getOrAdd(blogs, blogId, () => ({ blogId, views: 0, uniqueVisitors: 0 }));
  const day = (blogId: string, d: string) =>
    getOrAdd(days, key(blogId, d), () => ({ blogId, day: d, views: 0, uniqueVisitors: 0 }));
  for (const view of recorded) {
    post(view.postId, view.blogId).views++;
    blog(view.blogId).views++;
    day(view.blogId, view.day).views++;
  }
  for (const viewer of fresh.posts) post(viewer.postId, viewer.blogId).uniqueVisitors++;
  for (const viewer of fresh.blogs) blog(viewer.blogId).uniqueVisitors++;
  for (const viewer of fresh.days) day(viewer.blogId, viewer.day).uniqueVisitors++;
  // Sorted, so concurrent writers lock counter rows in one order and cannot deadlock.
  const sorted = <T>(map: Map<string, T>) =>
    [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return { posts: sorted(posts), blogs: sorted(blogs), days: sorted(days) };
}

function key(...parts: string[]): string {
  return parts.join('\u0000');
}

function getOrAdd<K, V>(map: Map<K, V>, k: K, make: () => V): V {
  let value = map.get(k);
  if (value === undefined) map.set(k, (value = make()));
  return value;
}
