// Test support: users, blogs and posts made through the REST API only, so the same contract tests can run against
// the gateway over fakes or over the real services (sagas are awaited by polling, as a client would). Checks use
// node:assert, not Vitest's expect, so the benchmarks can build their data with the same fixtures.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { eventually, type Http } from './http';

/** TestUser is a signed-up, logged-in account with its blog. */
export interface TestUser {
  readonly accountId: string;
  readonly email: string;
  readonly password: string;
  readonly nickname: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly blogId: string;
  readonly blogSlug: string;
}

/** uniqueName is a fresh valid nickname (also a valid slug once lower-cased). */
export const uniqueName = (prefix = 'u') => `${prefix}${randomBytes(6).toString('hex')}`;

/** Fixtures builds test data over REST. */
export class Fixtures {
  constructor(readonly http: Http) {}

  /** signUp creates an account and waits until the saga has made it ACTIVE. */
  async signUp(overrides: { email?: string; password?: string; nickname?: string } = {}) {
    const nickname = overrides.nickname ?? uniqueName();
    const email = overrides.email ?? `${nickname}@example.com`;
    const password = overrides.password ?? 'correct horse battery';
    const created = await this.http.post('/v1/accounts', { email, password, nickname });
    assert.equal(created.status, 202, created.text);
    const accountId: string = created.body.accountId;
    await eventually(async () => {
      const account = await this.http.get(`/v1/accounts/${accountId}`);
      assert.equal(account.body.status, 'ACTIVE');
    });
    return { accountId, email, password, nickname };
  }

  /** user signs up and logs in. */
  async user(): Promise<TestUser> {
    const account = await this.signUp();
    const login = await this.http.post('/v1/auth/login', {
      email: account.email,
      password: account.password,
    });
    assert.equal(login.status, 200, login.text);
    const blog = await this.http.get(`/v1/users/${account.accountId}/blog`);
    assert.equal(blog.status, 200, blog.text);
    return {
      ...account,
      accessToken: login.body.accessToken,
      refreshToken: login.body.refreshToken,
      blogId: blog.body.blogId,
      blogSlug: blog.body.slug,
    };
  }

  /** submitPost submits a post to the owner's blog and returns its id (still PENDING). */
  async submitPost(owner: TestUser, body: { title?: string; content?: string; tags?: string[] } = {}) {
    const submitted = await this.http.post(
      `/v1/blogs/${owner.blogId}/posts`,
      { title: 'A title', content: 'Some content', tags: ['news'], ...body },
      { token: owner.accessToken },
    );
    assert.equal(submitted.status, 202, submitted.text);
    return submitted.body.postId as string;
  }

  /** publishedPost submits a post and waits until the publish saga has made it PUBLISHED. */
  async publishedPost(owner: TestUser, body: { title?: string; content?: string; tags?: string[] } = {}) {
    const postId = await this.submitPost(owner, body);
    // Watch the blog's list, not the post: every read of a PUBLISHED post records a view, and a fixture must not
    // add views that a statistics test would then count.
    const blogId = owner.blogId;
    await eventually(async () => {
      const page = await this.http.get(`/v1/blogs/${blogId}/posts?limit=100`);
      assert.ok(
        (page.body.items as { postId: string }[]).some((item) => item.postId === postId),
        'not PUBLISHED yet',
      );
    });
    return postId;
  }
}
