// Request rules of the blog RPCs (shared/contract/rest-api.md "Validation rules"), as zod schemas whose issue
// paths are the request's field names, so INVALID_ARGUMENT names the field the caller has to fix.
import { ruleField, uuidField } from '@blog/framework';
import { FieldRules, patternOf } from '@blog/proto';
import { z } from 'zod';

/** SLUG_PATTERN is a blog slug (the shared rule: 3 to 40 characters of [a-z0-9-]). */
export const SLUG_PATTERN = patternOf(FieldRules.blogSlug);

/** isSlug tells whether a string is a valid blog slug. */
export function isSlug(value: string): boolean {
  return SLUG_PATTERN.test(value);
}

/** blogIdRequest validates GetBlog. */
export const blogIdRequest = z.object({ blogId: uuidField() });

/** slugRequest validates GetBlogBySlug. */
export const slugRequest = z.object({
  slug: ruleField(FieldRules.blogSlug),
});

/** ownerIdRequest validates GetBlogByOwner. */
export const ownerIdRequest = z.object({ ownerId: uuidField() });

/** updateBlogRequest validates UpdateBlog: title 1..100 (not blank), description at most 1000. */
export const updateBlogRequest = z.object({
  blogId: uuidField(),
  actorId: uuidField(),
  title: ruleField(FieldRules.blogTitle).optional(),
  description: ruleField(FieldRules.blogDescription).optional(),
});

/** BlogChanges are the fields UpdateBlog may change. */
export type BlogChanges = Pick<z.output<typeof updateBlogRequest>, 'title' | 'description'>;
