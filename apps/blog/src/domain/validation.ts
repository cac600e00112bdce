// Request rules of the blog RPCs (shared/contract/rest-api.md "Validation rules"), as zod schemas whose issue
// paths are the request's field names, so INVALID_ARGUMENT names the field the caller has to fix.
import { z } from 'zod';

/** UUID_PATTERN matches the canonical text form of a UUID (what PostgreSQL's uuid type prints). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SLUG_PATTERN is a blog slug: 3 to 40 characters of [a-z0-9-]. */
export const SLUG_PATTERN = /^[a-z0-9-]{3,40}$/;

/** isUuid tells whether a string is a UUID (ids from events are checked before they reach a uuid column). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** isSlug tells whether a string is a valid blog slug. */
export function isSlug(value: string): boolean {
  return SLUG_PATTERN.test(value);
}

/** charCount counts characters as people do (code points), not UTF-16 units. */
export function charCount(value: string): number {
  return [...value].length;
}

/** uuid is a required id field. */
export const uuid = () => z.string().regex(UUID_PATTERN, { error: 'must be a UUID' });

/** text is a string of `min` to `max` characters; `notBlank` also refuses one of whitespace only. */
export function text(min: number, max: number, options: { notBlank?: boolean } = {}) {
  return z.string().superRefine((value, ctx) => {
    const count = charCount(value);
    if (count < min || count > max) {
      const message = min > 0 ? `must be ${min} to ${max} characters` : `must be at most ${max} characters`;
      ctx.addIssue({ code: 'custom', message });
    } else if (options.notBlank && value.trim() === '') {
      ctx.addIssue({ code: 'custom', message: 'must not be blank' });
    }
  });
}

/** blogIdRequest validates GetBlog. */
export const blogIdRequest = z.object({ blogId: uuid() });

/** slugRequest validates GetBlogBySlug. */
export const slugRequest = z.object({
  slug: z.string().regex(SLUG_PATTERN, { error: 'must be 3 to 40 characters of a-z, 0-9 and -' }),
});

/** ownerIdRequest validates GetBlogByOwner. */
export const ownerIdRequest = z.object({ ownerId: uuid() });

/** updateBlogRequest validates UpdateBlog: title 1..100 (not blank), description at most 1000. */
export const updateBlogRequest = z.object({
  blogId: uuid(),
  actorId: uuid(),
  title: text(1, 100, { notBlank: true }).optional(),
  description: text(0, 1000).optional(),
});

/** BlogChanges are the fields UpdateBlog may change. */
export type BlogChanges = Pick<z.output<typeof updateBlogRequest>, 'title' | 'description'>;
