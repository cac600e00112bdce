// Test support: users, blogs and posts made through the REST API only, so the same contract tests can run against
// the gateway over fakes or over the real services (sagas are awaited by polling, as a client would).
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
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
    expect(created.status, created.text).toBe(202);
    const accountId: string = created.body.accountId;
    await eventually(async () => {
      const account = await this.http.get(`/v1/accounts/${accountId}`);
      expect(account.body.status).toBe('ACTIVE');
    });
    return { accountId, email, password, nickname };
  }

  /** user signs up and logs in. */
  async user(): Promise<TestUser> {
    const account = await this.signUp();
    const login = await this.http.post('/v1/auth/login', { email: account.email, password: account.password });
    expect(login.status, login.text).toBe(200);
    const blog = await this.http.get(`/v1/users/${account.accountId}/blog`);
    expect(blog.status, blog.text).toBe(200);
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
    expect(submitted.status, submitted.text).toBe(202);
    return submitted.body.postId as string;
  }

  /** publishedPost submits a post and waits until the publish saga has made it PUBLISHED. */
  async publishedPost(owner: TestUser, body: { title?: string; content?: string; tags?: string[] } = {}) {
    const postId = await this.submitPost(owner, body);
    await eventually(async () => {
      const read = await this.http.get(`/v1/posts/${postId}`, { token: owner.accessToken });
      expect(read.body.status).toBe('PUBLISHED');
    });
    return postId;
  }
}
