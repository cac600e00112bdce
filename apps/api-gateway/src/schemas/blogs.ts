// Blogs: responses and updates, mapped from blog.blog.v1.
import { FieldRules, type blog } from '@blog/proto';
import { Type } from 'typebox';
import { enumName, isoTime, ruleString, stringEnum, Timestamp, Uuid } from './common';

/** Blog is a blog with its counters. */
export const Blog = Type.Object({
  blogId: Uuid,
  ownerId: Uuid,
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  status: stringEnum(['ACTIVE', 'DELETING', 'DELETED']),
  postCount: Type.Integer(),
  subscriberCount: Type.Integer(),
  createdAt: Timestamp,
});

/** UpdateBlogBody changes title or description (owner only). */
export const UpdateBlogBody = Type.Object(
  {
    title: Type.Optional(ruleString(FieldRules.blogTitle)),
    description: Type.Optional(ruleString(FieldRules.blogDescription)),
  },
  { additionalProperties: false },
);

/** SlugParams addresses a blog by slug; any string, an unknown one is simply not found. */
export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 100 }) });

/** toBlog maps a blog.v1.Blog. */
export function toBlog(value: blog.Blog) {
  return {
    blogId: value.blogId,
    ownerId: value.ownerId,
    slug: value.slug,
    title: value.title,
    description: value.description,
    status: enumName(value.status, 'BLOG_STATUS_'),
    postCount: value.postCount,
    subscriberCount: value.subscriberCount,
    createdAt: isoTime(value.createdAt),
  };
}
