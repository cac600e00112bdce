// Request rules of the post RPCs (shared/contract/rest-api.md "Validation rules"), as zod schemas whose issue paths
// are the request's field names, so INVALID_ARGUMENT names the field the caller has to fix.
import { ruleField, uuidField } from '@blog/framework';
import { FieldRules, MAX_TAGS, patternMessageOf, patternOf } from '@blog/proto';
import { z } from 'zod';

/** TAG_PATTERN is one tag (the shared rule: 1 to 30 characters of [a-z0-9-]). */
export const TAG_PATTERN = patternOf(FieldRules.tag);

/** DEFAULT_LIMIT is the page size when the request gives none (0). */
export const DEFAULT_LIMIT = 20;

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
      message: `tags[${bad}] ${patternMessageOf(FieldRules.tag)}`,
    });
  }
});

const title = ruleField(FieldRules.postTitle);
const content = ruleField(FieldRules.postContent);

/** submitPostRequest validates SubmitPost. */
export const submitPostRequest = z.object({
  blogId: uuidField(),
  authorId: uuidField(),
  title,
  content,
  tags,
});

/** getPostRequest validates GetPost; viewerId is free-form (empty for anonymous readers). */
export const getPostRequest = z.object({ postId: uuidField(), viewerId: z.string() });

/** listBlogPostsRequest validates ListBlogPosts: limit 1..100, 0 meaning the default. */
export const listBlogPostsRequest = z.object({
  blogId: uuidField(),
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
  postId: uuidField(),
  actorId: uuidField(),
  title: title.optional(),
  content: content.optional(),
  tags: tags.optional(),
});

/** deletePostRequest validates DeletePost. */
export const deletePostRequest = z.object({ postId: uuidField(), actorId: uuidField() });
