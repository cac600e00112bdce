// The visitor service on the stack: real gRPC calls, real batching, and its deletion-saga step fed through Kafka
// like Debezium would, with the emitted BlogStatsDropped read back from events.visitor.stats.
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { AggregateTypes, events } from '@blog/proto';
import { waitFor } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVisitor, type VisitorHarness } from './testing/harness';

let h: VisitorHarness;

beforeAll(async () => {
  h = await startVisitor();
});
afterAll(() => h?.stop());

const view = (postId: string, blogId: string, viewerId: string, viewId = randomUUID()) => ({
  viewId,
  postId,
  blogId,
  viewerId,
});

/** metric reads one sample of the service's /metrics (0 when absent). */
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${h.service.ports.admin}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('RecordView, GetPostStats, GetBlogStats', () => {
  it('counts views and unique visitors per post and per blog, today included', async () => {
    const [blog, p1, p2] = [randomUUID(), randomUUID(), randomUUID()];
    for (const v of [
      view(p1, blog, 'ann'),
      view(p1, blog, 'ann'),
      view(p1, blog, 'bob'),
      view(p2, blog, 'ann'),
    ]) {
      await h.client.recordView(v);
    }
    expect(await h.client.getPostStats({ postId: p1 })).toEqual({
      postId: p1,
      total: { views: 3, uniqueVisitors: 2 },
    });
    expect(await h.client.getPostStats({ postId: p2 })).toEqual({
      postId: p2,
      total: { views: 1, uniqueVisitors: 1 },
    });
    expect(await h.client.getBlogStats({ blogId: blog })).toEqual({
      blogId: blog,
      total: { views: 4, uniqueVisitors: 2 },
      today: { views: 4, uniqueVisitors: 2 },
    });
  });

  it('answers zeros for a post or blog never viewed', async () => {
    const id = randomUUID();
    expect(await h.client.getPostStats({ postId: id })).toEqual({
      postId: id,
      total: { views: 0, uniqueVisitors: 0 },
    });
    expect(await h.client.getBlogStats({ blogId: id })).toEqual({
      blogId: id,
      total: { views: 0, uniqueVisitors: 0 },
      today: { views: 0, uniqueVisitors: 0 },
    });
  });

  it('answers INVALID_ARGUMENT for a malformed request', async () => {
    await expect(h.client.recordView(view('not-a-uuid', randomUUID(), 'ann'))).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
    await expect(h.client.recordView(view(randomUUID(), randomUUID(), ''))).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
    await expect(h.client.getBlogStats({ blogId: 'x' })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
  });

  it('counts a retried view once: the same view id sent again, and five times in parallel', async () => {
    const [blog, post] = [randomUUID(), randomUUID()];
    const retried = view(post, blog, 'ann');
    await h.client.recordView(retried);
    await h.client.recordView(retried);
    const parallel = view(post, blog, 'bob');
    await Promise.all(Array.from({ length: 5 }, () => h.client.recordView(parallel)));
    // And again in parallel once committed, so the five race in separate batches as well as in one.
    await Promise.all(Array.from({ length: 5 }, () => h.client.recordView(parallel)));
    expect((await h.client.getPostStats({ postId: post })).total).toEqual({ views: 2, uniqueVisitors: 2 });
  });

  it('records a burst of 500 views in a handful of transactions, every view counted', async () => {
    const blog = randomUUID();
    const posts = Array.from({ length: 20 }, () => randomUUID());
    const batchesBefore = await metric('visitor_view_batches_total');
    const callsBefore = await metric('visitor_view_calls_batched_total');
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        h.client.recordView(view(posts[i % 20], blog, `viewer-${i % 100}`)),
      ),
    );
    const elapsedMs = Date.now() - started;
    const transactions = (await metric('visitor_view_batches_total')) - batchesBefore;
    const calls = (await metric('visitor_view_calls_batched_total')) - callsBefore;
    expect(await h.client.getBlogStats({ blogId: blog })).toMatchObject({
      total: { views: 500, uniqueVisitors: 100 },
    });
    expect(calls).toBe(500);
    expect(transactions).toBeLessThanOrEqual(50);
    console.info(
      `RecordView burst: 500 calls in ${elapsedMs} ms, ${transactions} transactions ` +
        `(${(transactions / 500).toFixed(3)} per view)`,
    );
  });
});

describe('BlogDeleting (deletion saga, visitor step)', () => {
  const feedBlogDeleting = (blogId: string, ownerId: string, sagaId?: string) =>
    h.bus.feed(events.BlogDeleting, 'BlogDeleting', {
      aggregateType: AggregateTypes.blog,
      aggregateId: blogId,
      data: { blogId, ownerId },
      sagaId,
    });
  const droppedReports = (blogId: string) =>
    h.emitted.all('BlogStatsDropped', events.BlogStatsDropped, (e) => e.blogId === blogId);

  it("drops every statistic of the blog, its posts' too, and reports BlogStatsDropped with the saga id", async () => {
    const [blog, owner, p1, p2, sagaId] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    await Promise.all([view(p1, blog, 'ann'), view(p2, blog, 'bob')].map((v) => h.client.recordView(v)));
    const fed = await feedBlogDeleting(blog, owner, sagaId);

    const { event: report } = await h.emitted.next(
      'BlogStatsDropped',
      events.BlogStatsDropped,
      (e) => e.blogId === blog,
    );
    expect(report).toMatchObject({ blogId: blog, ownerId: owner, meta: { sagaId, aggregateId: blog } });
    const [record] = droppedReports(blog);
    expect(record.key).toBe(blog);
    expect(record.message.headers).toMatchObject({ eventType: 'BlogStatsDropped', sagaId });
    expect((await h.client.getPostStats({ postId: p1 })).total).toEqual({ views: 0, uniqueVisitors: 0 });
    expect((await h.client.getPostStats({ postId: p2 })).total).toEqual({ views: 0, uniqueVisitors: 0 });
    expect((await h.client.getBlogStats({ blogId: blog })).total).toEqual({ views: 0, uniqueVisitors: 0 });

    // A view arriving late (the gateway's read raced the deletion) is accepted and not counted.
    await h.client.recordView(view(p1, blog, 'cid'));
    expect((await h.client.getBlogStats({ blogId: blog })).total).toEqual({ views: 0, uniqueVisitors: 0 });

    // The same event delivered again changes nothing and reports nothing more; a later event of the same partition
    // (same key) being reported proves the duplicate was consumed before it.
    await h.bus.redeliver(fed);
    const marker = await feedBlogDeleting(blog, owner);
    await waitFor('the marker report', () => droppedReports(blog).some((m) => m.sagaId === marker.sagaId));
    expect(droppedReports(blog).filter((m) => m.sagaId === sagaId)).toHaveLength(1);
    expect((await h.client.getBlogStats({ blogId: blog })).total).toEqual({ views: 0, uniqueVisitors: 0 });
  });

  it('leaves the statistics of other blogs alone', async () => {
    const [doomed, kept, post] = [randomUUID(), randomUUID(), randomUUID()];
    await h.client.recordView(view(post, kept, 'ann'));
    await h.client.recordView(view(randomUUID(), doomed, 'ann'));
    await feedBlogDeleting(doomed, randomUUID());
    await h.emitted.next('BlogStatsDropped', events.BlogStatsDropped, (e) => e.blogId === doomed);
    expect((await h.client.getBlogStats({ blogId: kept })).total).toEqual({ views: 1, uniqueVisitors: 1 });
    expect((await h.client.getPostStats({ postId: post })).total).toEqual({ views: 1, uniqueVisitors: 1 });
  });
});
