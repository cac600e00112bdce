// Test-only: arranging posts directly in the post schema, feeding the blog events the post service consumes, and
// markers that prove a partition was processed up to a point (a marker fed after an event, with the same key, is
// handled after it).
import { randomUUID } from 'node:crypto';
import type { OutboxEvent, Queryable } from '@blog/framework';
import { AggregateTypes, events } from '@blog/proto';
import type { EventOf } from '@blog/testing';
import type { Post } from '../domain/post';
import { findPost, insertPost, publishPost, rejectPost } from '../repository/post.repository';
import type { PostHarness } from './harness';

/** arrangePost inserts a post (PENDING, or moved on to `status`) into `blogId` by `authorId`. */
export async function arrangePost(
  db: Queryable,
  options: {
    blogId?: string;
    authorId?: string;
    status?: 'PENDING' | 'PUBLISHED' | 'REJECTED';
    title?: string;
  } = {},
): Promise<Post> {
  const post = await insertPost(db, {
    postId: randomUUID(),
    blogId: options.blogId ?? randomUUID(),
    authorId: options.authorId ?? randomUUID(),
    title: options.title ?? 'Arranged',
    content: 'Arranged content',
    tags: ['it'],
  });
  if (options.status === 'PUBLISHED') await publishPost(db, post.postId);
  if (options.status === 'REJECTED') await rejectPost(db, post.postId, 'NOT_OWNER');
  return (await findPost(db, post.postId)) as Post;
}

/** Data is an event's content without its metadata. */
type Data<T> = Omit<T, 'meta'>;

/** feeder feeds the blog events the post service consumes; each returns the fed event, so a test can send it again. */
export function feeder(h: PostHarness) {
  const blogEvent = <T, D extends object>(
    message: EventOf<T, D>,
    type: string,
    key: string,
    data: D,
    sagaId?: string,
  ) => h.bus.feed(message, type, { aggregateType: AggregateTypes.blog, aggregateId: key, data, sagaId });
  return {
    send: (event: OutboxEvent) => h.bus.publish(event),
    postAccepted: (data: Data<events.PostAccepted>, sagaId?: string, key = data.blogId) =>
      blogEvent(events.PostAccepted, 'PostAccepted', key, data, sagaId),
    postRejected: (data: Data<events.PostRejected>, sagaId?: string, key = data.blogId) =>
      blogEvent(events.PostRejected, 'PostRejected', key, data, sagaId),
    blogDeleting: (data: Data<events.BlogDeleting>, sagaId?: string) =>
      blogEvent(events.BlogDeleting, 'BlogDeleting', data.blogId, data, sagaId),
  };
}

/** afterBlogEvents settles events.blog.blog up to here for `key`: a marker post is accepted and published. */
export async function afterBlogEvents(h: PostHarness, key: string): Promise<void> {
  const marker = await arrangePost(h.store);
  await feeder(h).postAccepted({ postId: marker.postId, blogId: marker.blogId }, undefined, key);
  await h.emitted.next('PostPublished', events.PostPublished, (e) => e.postId === marker.postId);
}
