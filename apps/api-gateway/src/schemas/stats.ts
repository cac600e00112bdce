// Visitor statistics, mapped from blog.visitor.v1.
import type { visitor } from '@blog/proto';
import { Type } from 'typebox';
import { Uuid } from './common';

const Count = Type.Integer({ minimum: 0 });

/** PostStats are a post's totals. */
export const PostStats = Type.Object({ postId: Uuid, views: Count, uniqueVisitors: Count });

/** BlogStats are a blog's totals and today's (UTC) figures. */
export const BlogStats = Type.Object({
  blogId: Uuid,
  views: Count,
  uniqueVisitors: Count,
  today: Type.Object({ views: Count, uniqueVisitors: Count }),
});

const counts = (value: visitor.Counts | undefined) => ({
  views: value?.views ?? 0,
  uniqueVisitors: value?.uniqueVisitors ?? 0,
});

/** toPostStats maps GetPostStatsResponse. */
export function toPostStats(postId: string, response: visitor.GetPostStatsResponse) {
  return { postId: response.postId || postId, ...counts(response.total) };
}

/** toBlogStats maps GetBlogStatsResponse. */
export function toBlogStats(blogId: string, response: visitor.GetBlogStatsResponse) {
  return { blogId: response.blogId || blogId, ...counts(response.total), today: counts(response.today) };
}
