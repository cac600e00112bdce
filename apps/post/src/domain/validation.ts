// Request rules of the post RPCs (shared/contract/rest-api.md "Validation rules"), as zod schemas whose issue paths
// are the request's field names, so INVALID_ARGUMENT names the field the caller has to fix.
import { z } from 'zod';

/** UUID_PATTERN matches the canonical text form of a UUID (what PostgreSQL's uuid type prints). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** TAG_PATTERN is one tag: 1 to 30 characters of [a-z0-9-]. */
export const TAG_PATTERN = /^[a-z0-9-]{1,30}$/;

/** MAX_TAGS bounds the tags of a post. */
export const MAX_TAGS = 10;

/** DEFAULT_LIMIT is the page size when the request gives none (0). */
export const DEFAULT_LIMIT = 20;

/** isUuid tells whether a string is a UUID (ids from events are checked before they reach a uuid column). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** charCount counts characters as people do (code points), not UTF-16 units. */
export function charCount(value: string): number {
  return [...value].length;
}

const uuid = () => z.string().regex(UUID_PATTERN, { error: 'must be a UUID' });

/** text is a string of `min` to `max` characters; `notBlank` also refuses one of whitespace only. */
function text(min: number, max: number, options: { notBlank?: boolean } = {}) {
  return z.string().superRefine((value, ctx) => {
    const count = charCount(value);
    if (count < min || count > max) {
      ctx.addIssue({ code: 'custom', message: `must be ${min} to ${max} characters` });
    } else if (options.notBlank && value.trim() === '') {
      ctx.addIssue({ code: 'custom', message: 'must not be blank' });
    }
  });
}

// One issue on `tags` itself, naming the bad tag in its message: the contract's field is `tags`.
const tags = z.array(z.string()).superRefine((values, ctx) => {
  if (values.length > MAX_TAGS) {
    ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_TAGS} tags` });
    return;
  }
  const bad = values.findIndex((tag) => !TAG_PATTERN.test(tag));
  if (bad >= 0) {
    ctx.addIssue({
      code: 'custom',
      message: `tags[${bad}] must be 1 to 30 characters of a-z, 0-9 and -`,
    });
  }
});

const title = text(1, 200, { notBlank: true });
const content = text(1, 100_000);

/** submitPostRequest validates SubmitPost. */
export const submitPostRequest = z.object({ blogId: uuid(), authorId: uuid(), title, content, tags });

/** getPostRequest validates GetPost; viewerId is free-form (empty for anonymous readers). */
export const getPostRequest = z.object({ postId: uuid(), viewerId: z.string() });

/** listBlogPostsRequest validates ListBlogPosts: limit 1..100, 0 meaning the default. */
export const listBlogPostsRequest = z.object({
  blogId: uuid(),
  limit: z
    .number()
    .int()
    .refine((n) => n === 0 || (n >= 1 && n <= 100), { error: 'must be 1 to 100' })
    .transform((n) => (n === 0 ? DEFAULT_LIMIT : n)),
  cursor: z.string(),
});

/**
 * updatePostRequest validates UpdatePost with its tags unwrapped (`tags: request.tags?.values`), so a bad tag is
 * named `tags` as in SubmitPost; absent fields stay as they are.
 */
export const updatePostRequest = z.object({
  postId: uuid(),
  actorId: uuid(),
  title: title.optional(),
  content: content.optional(),
  tags: tags.optional(),
});

/** deletePostRequest validates DeletePost. */
export const deletePostRequest = z.object({ postId: uuid(), actorId: uuid() });
