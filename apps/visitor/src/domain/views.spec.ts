import { describe, expect, it } from 'vitest';
import { counterDeltas, distinctViews, viewersOf, type RecordedView } from './views';

const view = (
  viewId: string,
  postId: string,
  blogId: string,
  viewerId: string,
  day = '2025-01-01',
): RecordedView => ({
  viewId,
  postId,
  blogId,
  viewerId,
  day,
});

describe('distinctViews', () => {
  it('keeps the first view of each view id', () => {
    const views = [
      view('v1', 'p1', 'b1', 'ann'),
      view('v1', 'p2', 'b1', 'bob'),
      view('v2', 'p1', 'b1', 'ann'),
    ];
    expect(distinctViews(views).map((v) => [v.viewId, v.postId])).toEqual([
      ['v1', 'p1'],
      ['v2', 'p1'],
    ]);
  });
});

describe('viewersOf', () => {
  it('lists each viewer once per post, per blog and per blog and day', () => {
    const views = [
      view('v1', 'p1', 'b1', 'ann'),
      view('v2', 'p1', 'b1', 'ann'),
      view('v3', 'p2', 'b1', 'ann'),
      view('v4', 'p2', 'b1', 'ann', '2025-01-02'),
      view('v5', 'p3', 'b2', 'bob'),
    ];
    const viewers = viewersOf(views);
    expect(viewers.posts).toEqual([
      { postId: 'p1', blogId: 'b1', viewerId: 'ann' },
      { postId: 'p2', blogId: 'b1', viewerId: 'ann' },
      { postId: 'p3', blogId: 'b2', viewerId: 'bob' },
    ]);
    expect(viewers.blogs).toEqual([
      { blogId: 'b1', viewerId: 'ann' },
      { blogId: 'b2', viewerId: 'bob' },
    ]);
    expect(viewers.days).toEqual([
      { blogId: 'b1', day: '2025-01-01', viewerId: 'ann' },
      { blogId: 'b1', day: '2025-01-02', viewerId: 'ann' },
      { blogId: 'b2', day: '2025-01-01', viewerId: 'bob' },
    ]);
  });
});

describe('counterDeltas', () => {
  it('counts every recorded view, and a unique visitor only where the viewer is new', () => {
    const recorded = [
      view('v1', 'p1', 'b1', 'ann'),
      view('v2', 'p1', 'b1', 'bob'),
      view('v3', 'p2', 'b1', 'ann'),
    ];
    // ann had seen p1 and the blog before this batch; bob is new everywhere; ann is new to p2 only.
    const deltas = counterDeltas(recorded, {
      posts: [
        { postId: 'p1', blogId: 'b1', viewerId: 'bob' },
        { postId: 'p2', blogId: 'b1', viewerId: 'ann' },
      ],
      blogs: [{ blogId: 'b1', viewerId: 'bob' }],
      days: [{ blogId: 'b1', day: '2025-01-01', viewerId: 'bob' }],
    });
    expect(deltas.posts).toEqual([
      { postId: 'p1', blogId: 'b1', views: 2, uniqueVisitors: 1 },
      { postId: 'p2', blogId: 'b1', views: 1, uniqueVisitors: 1 },
    ]);
    expect(deltas.blogs).toEqual([{ blogId: 'b1', views: 3, uniqueVisitors: 1 }]);
    expect(deltas.days).toEqual([{ blogId: 'b1', day: '2025-01-01', views: 3, uniqueVisitors: 1 }]);
  });

  it('moves nothing for a batch whose views were all seen before', () => {
    expect(counterDeltas([], { posts: [], blogs: [], days: [] })).toEqual({ posts: [], blogs: [], days: [] });
  });

  it('sorts the rows by key so concurrent writers lock counters in one order', () => {
    const recorded = [view('v1', 'p9', 'b9', 'x'), view('v2', 'p1', 'b1', 'x'), view('v3', 'p5', 'b5', 'x')];
    const deltas = counterDeltas(recorded, { posts: [], blogs: [], days: [] });
    expect(deltas.posts.map((p) => p.postId)).toEqual(['p1', 'p5', 'p9']);
    expect(deltas.blogs.map((b) => b.blogId)).toEqual(['b1', 'b5', 'b9']);
    expect(deltas.days.map((d) => d.blogId)).toEqual(['b1', 'b5', 'b9']);
  });
});
