// The profile's rules, free of I/O (what a nickname and a bio may be is in validation.ts).

/** Profile is a stored user profile (user id = account id). */
export interface Profile {
  readonly userId: string;
  readonly nickname: string;
  readonly bio: string;
  readonly createdAt: Date;
}

/** ProfileChanges are the fields an update sets (absent ones stay as they are). */
export interface ProfileChanges {
  readonly nickname?: string;
  readonly bio?: string;
}

/** hasChanges tells whether an update sets anything at all. */
export function hasChanges(changes: ProfileChanges): boolean {
  return changes.nickname !== undefined || changes.bio !== undefined;
}

/** signUpRejectionReason is the reason a compensating UserDeleted carries: the blog step's, BLOG_SLUG_TAKEN by default. */
export function signUpRejectionReason(blogRejectedReason: string): string {
  return blogRejectedReason || 'BLOG_SLUG_TAKEN';
}
