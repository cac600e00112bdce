// Posts: submissions, the composed post, summaries and pages, mapped from blog.post.v1.
import { FieldRules, MAX_TAGS, type post } from '@blog/proto';
import { Type } from 'typebox';
import { cursorOrNull, enumName, isoTime, ruleString, stringEnum, Timestamp, Uuid } from './common';

const POST_STATUSES = ['PENDING', 'PUBLISHED', 'REJECTED', 'DELETED'] as const;

/** Tags: at most 10, each 1 to 30 characters of [a-z0-9-]. */
export const Tags = Type.Array(ruleString(FieldRules.tag), { maxItems: MAX_TAGS });
const Title = ruleString(FieldRules.postTitle);
const Content = ruleString(FieldRules.postContent);

/** SubmitPostBody is a new post. */
export const SubmitPostBody = Type.Object(
  { title: Title, content: Content, tags: Type.Optional(Tags) },
  { additionalProperties: false },
);

/** UpdatePostBody edits a post (author only). */
export const UpdatePostBody = Type.Object(
  { title: Type.Optional(Title), content: Type.Optional(Content), tags: Type.Optional(Tags) },
  { additionalProperties: false },
);

/** PostAccepted is the 202 of a submission: the publish saga has started. */
export const PostAccepted = Type.Object({ postId: Uuid, status: stringEnum(POST_STATUSES) });

const summaryFields = {
  postId: Uuid,
  blogId: Uuid,
  authorId: Uuid,
  title: Type.String(),
  tags: Type.Array(Type.String()),
  status: stringEnum(POST_STATUSES),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

/** PostSummary is a post without its content (lists, feeds). */
export const PostSummary = Type.Object(summaryFields);

/** PostPage is a page of summaries; nextCursor is null on the last page. */
export const PostPage = Type.Object({
  items: Type.Array(PostSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** Post is the whole post with its author and blog composed in (null when that lookup failed). */
export const Post = Type.Object({
  ...summaryFields,
  content: Type.String(),
  author: Type.Union([Type.Object({ userId: Uuid, nickname: Type.String() }), Type.Null()]),
  blog: Type.Union([Type.Object({ blogId: Uuid, slug: Type.String(), title: Type.String() }), Type.Null()]),
});

/** postStatusName maps post.v1.PostStatus to its REST name. */
export function postStatusName(status: post.PostStatus): string {
  return enumName(status, 'POST_STATUS_');
}

/** toPostSummary maps a post.v1.PostSummary (or a whole Post, dropping its content). */
export function toPostSummary(value: post.PostSummary | post.Post) {
  return {
    postId: value.postId,
    blogId: value.blogId,
    authorId: value.authorId,
    title: value.title,
    tags: value.tags,
    status: postStatusName(value.status),
    createdAt: isoTime(value.createdAt),
    updatedAt: isoTime(value.updatedAt),
  };
}

/** toPostPage maps a page of summaries. */
export function toPostPage(page: { items: post.PostSummary[]; nextCursor: string }) {
  return { items: page.items.map(toPostSummary), nextCursor: cursorOrNull(page.nextCursor) };
}
