// The user-level moves of the scenarios over the REST contract: start a saga (expecting its 202), then poll
// the resource until it leaves PENDING, recording the saga's latency (202 -> terminal state seen by polling).
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { eventually } from '../eventually';
import { recordLatency, type SagaName } from '../report/latency';
import { describeResponse, type ApiResponse, type RestClient } from './client';
import { answer, bearer, typedApi, type TypedApi } from './typed-client';

/** Credentials of an account the suite creates. */
export interface Credentials {
  email: string;
  password: string;
  nickname: string;
}

/** Member is an ACTIVE account, signed in, with its blog. */
export interface Member extends Credentials {
  userId: string;
  token: string;
  blogId: string;
  slug: string;
}

/** Started is a saga the system accepted (202) and when the answer arrived. */
export interface Started<T> {
  body: T;
  acceptedAt: number;
}

/** SagaOptions tune the wait for a saga's end. */
export interface SagaOptions {
  /** timeoutMs bounds the wait for a terminal state (the contract says 5 s on the local stack; faults take longer). */
  timeoutMs?: number;
}

/** uniqueNickname is a fresh nickname (3..30 chars of [A-Za-z0-9_]) with a readable prefix. */
export function uniqueNickname(prefix = 'u'): string {
  return `${prefix.slice(0, 12)}_${randomBytes(8).toString('hex')}`.slice(0, 30);
}

/** credentials returns fresh credentials (a unique email even for nicknames that differ only in case). */
export const credentials = (nickname = uniqueNickname()): Credentials => ({
  email: `${nickname.toLowerCase()}.${randomBytes(3).toString('hex')}@e2e.example.com`,
  password: `pw-${randomBytes(6).toString('hex')}`,
  nickname,
});

const pollMs = 50;

/** Sagas drives the system through one gateway; `conditions` labels the latencies it records. */
export class Sagas {
  /** typed is the same gateway through the client generated from the OpenAPI document. */
  readonly typed: TypedApi;

  constructor(
    readonly api: RestClient,
    private readonly runDir: string,
    private readonly conditions: { undisturbed: boolean } = { undisturbed: true },
  ) {
    this.typed = typedApi(api);
  }

  /** underFault returns the same moves, with latencies recorded as measured during a fault. */
  underFault(): Sagas {
    return new Sagas(this.api, this.runDir, { undisturbed: false });
  }

  // --- sign-up -------------------------------------------------------------------------------------------------

  /** startSignUp posts the account and expects 202 PENDING. */
  async startSignUp(
    who: Credentials,
    blogSlug?: string,
  ): Promise<Started<{ accountId: string; status: string }>> {
    const response = await answer(
      this.typed.POST('/v1/accounts', { body: { ...who, ...(blogSlug ? { blogSlug } : {}) } }),
    );
    expectStatus(response, 202);
    expect(response.body).toMatchObject({ accountId: expect.any(String), status: 'PENDING' });
    return { body: response.body, acceptedAt: Date.now() };
  }

  /** awaitAccount polls the account until it is no longer PENDING and returns it. */
  async awaitAccount(
    started: Started<{ accountId: string }>,
    options: SagaOptions = {},
  ): Promise<AccountView> {
    return this.awaitTerminal('sign-up', started, options, () =>
      answer(
        this.typed.GET('/v1/accounts/{accountId}', {
          params: { path: { accountId: started.body.accountId } },
        }),
      ),
    );
  }

  /** signUp runs the sign-up saga to its end and returns the account as seen through REST. */
  async signUp(who: Credentials, blogSlug?: string, options?: SagaOptions): Promise<AccountView> {
    return this.awaitAccount(await this.startSignUp(who, blogSlug), options);
  }

  /** member signs up (expecting ACTIVE), logs in and finds the new blog. */
  async member(prefix = 'm', options?: SagaOptions): Promise<Member> {
    const who = credentials(uniqueNickname(prefix));
    const account = await this.signUp(who, undefined, options);
    expect(account, 'sign-up outcome').toMatchObject({ status: 'ACTIVE' });
    return this.signIn(who, account.accountId);
  }

  /** signIn logs an ACTIVE account in and reads its blog. */
  async signIn(who: Credentials, userId: string): Promise<Member> {
    const login = await answer(
      this.typed.POST('/v1/auth/login', { body: { email: who.email, password: who.password } }),
    );
    expectStatus(login, 200);
    expect(login.body.userId).toBe(userId);
    const blog = await answer(this.typed.GET('/v1/users/{userId}/blog', { params: { path: { userId } } }));
    expectStatus(blog, 200);
    return { ...who, userId, token: login.body.accessToken, blogId: blog.body.blogId, slug: blog.body.slug };
  }

  // --- posts ---------------------------------------------------------------------------------------------------

  /** startPost submits a post to a blog and expects 202 PENDING. */
  async startPost(
    author: Member,
    blogId = author.blogId,
    post: Partial<PostInput> = {},
  ): Promise<Started<{ postId: string }>> {
    const input: PostInput = {
      title: `Post ${randomBytes(3).toString('hex')}`,
      content: 'Hello from the e2e suite.',
      tags: ['e2e'],
      ...post,
    };
    const response = await answer(
      this.typed.POST('/v1/blogs/{blogId}/posts', {
        params: { path: { blogId } },
        body: input,
        headers: bearer(author.token),
      }),
    );
    expectStatus(response, 202);
    expect(response.body).toMatchObject({ postId: expect.any(String), status: 'PENDING' });
    return { body: response.body, acceptedAt: Date.now() };
  }

  /** awaitPost polls the post (as its author, who sees PENDING and REJECTED posts) until it leaves PENDING. */
  async awaitPost(
    author: Member,
    started: Started<{ postId: string }>,
    options: SagaOptions = {},
  ): Promise<PostView> {
    return this.awaitTerminal('publish', started, options, () =>
      answer(
        this.typed.GET('/v1/posts/{postId}', {
          params: { path: { postId: started.body.postId } },
          headers: bearer(author.token),
        }),
      ),
    );
  }

  /** publish runs the publishing saga and expects PUBLISHED. */
  async publish(author: Member, post: Partial<PostInput> = {}, options?: SagaOptions): Promise<PostView> {
    const published = await this.awaitPost(
      author,
      await this.startPost(author, author.blogId, post),
      options,
    );
    expect(published.status, `post ${published.postId}`).toBe('PUBLISHED');
    return published;
  }

  // --- subscriptions -------------------------------------------------------------------------------------------

  /** startSubscription asks for a subscription and expects 202 PENDING. */
  async startSubscription(reader: Member, blogId: string): Promise<Started<SubscriptionView>> {
    const response = await answer(
      this.typed.PUT('/v1/blogs/{blogId}/subscription', {
        params: { path: { blogId } },
        headers: bearer(reader.token),
      }),
    );
    expectStatus(response, 202);
    expect(response.body).toMatchObject({ subscriptionId: expect.any(String), blogId, status: 'PENDING' });
    return { body: response.body, acceptedAt: Date.now() };
  }

  /** awaitSubscription polls the reader's subscription to a blog until it leaves PENDING. */
  async awaitSubscription(
    reader: Member,
    started: Started<SubscriptionView>,
    options: SagaOptions = {},
  ): Promise<SubscriptionView> {
    return this.awaitTerminal('subscribe', started, options, () =>
      answer(
        this.typed.GET('/v1/blogs/{blogId}/subscription', {
          params: { path: { blogId: started.body.blogId } },
          headers: bearer(reader.token),
        }),
      ),
    );
  }

  /** subscribe runs the subscribe saga and returns its end state. */
  async subscribe(reader: Member, blogId: string, options?: SagaOptions): Promise<SubscriptionView> {
    return this.awaitSubscription(reader, await this.startSubscription(reader, blogId), options);
  }

  /** unsubscribe cancels the reader's subscription (204). */
  async unsubscribe(reader: Member, blogId: string): Promise<void> {
    const response = await answer(
      this.typed.DELETE('/v1/blogs/{blogId}/subscription', {
        params: { path: { blogId } },
        headers: bearer(reader.token),
      }),
    );
    expectStatus(response, 204);
  }

  // --- reads ---------------------------------------------------------------------------------------------------

  /** blog reads a blog (expecting 200). */
  async blog(blogId: string): Promise<BlogView> {
    const response = await answer(this.typed.GET('/v1/blogs/{blogId}', { params: { path: { blogId } } }));
    expectStatus(response, 200);
    return response.body as BlogView;
  }

  /** feed reads the reader's whole feed, following the cursors. */
  async feed(reader: Member): Promise<FeedItem[]> {
    return this.pages((cursor) =>
      answer(
        this.typed.GET('/v1/users/me/feed', {
          params: { query: { limit: 100, cursor } },
          headers: bearer(reader.token),
        }),
      ),
    );
  }

  /** blogPosts reads every PUBLISHED post of a blog, following the cursors. */
  async blogPosts(blogId: string): Promise<FeedItem[]> {
    return this.pages((cursor) =>
      answer(
        this.typed.GET('/v1/blogs/{blogId}/posts', {
          params: { path: { blogId }, query: { limit: 100, cursor } },
        }),
      ),
    );
  }

  private async pages(
    read: (
      cursor: string | undefined,
    ) => Promise<ApiResponse<{ items: FeedItem[]; nextCursor: string | null } | undefined>>,
  ): Promise<FeedItem[]> {
    const items: FeedItem[] = [];
    let cursor: string | undefined;
    do {
      const response = await read(cursor);
      expectStatus(response, 200);
      items.push(...(response.body?.items ?? []));
      cursor = response.body?.nextCursor ?? undefined;
    } while (cursor);
    return items;
  }

  /** awaitTerminal polls `read` until the resource's status is not PENDING, then records the latency. */
  private async awaitTerminal<T extends { status: string }>(
    saga: SagaName,
    started: Started<unknown>,
    options: SagaOptions,
    read: () => Promise<ApiResponse<T>>,
  ): Promise<T> {
    const body = await eventually(
      async () => {
        const response = await read();
        expectStatus(response, 200);
        if (response.body.status === 'PENDING')
          throw new Error(`still PENDING: ${JSON.stringify(response.body)}`);
        return response.body;
      },
      { timeoutMs: options.timeoutMs ?? 15_000, intervalMs: pollMs, what: `${saga} saga end` },
    );
    recordLatency(this.runDir, {
      saga,
      ms: Date.now() - started.acceptedAt,
      outcome: body.status,
      ...this.conditions,
    });
    return body;
  }
}

/** expectStatus asserts an HTTP status, showing the body when it differs. */
export function expectStatus(response: ApiResponse, status: number): void {
  expect(response.status, describeResponse(response)).toBe(status);
}

/** softStatus is expectStatus that lets the test go on (to report every wrong end state, not the first only). */
export function softStatus(response: ApiResponse, status: number, what: string): void {
  expect.soft(response.status, `${what}: ${describeResponse(response)}`).toBe(status);
}

/** PostInput is the body of a new post. */
export interface PostInput {
  title: string;
  content: string;
  tags: string[];
}

/** AccountView is GET /v1/accounts/{id}. */
export interface AccountView {
  accountId: string;
  status: string;
  reason?: string;
}

/** BlogView is GET /v1/blogs/{id}. */
export interface BlogView {
  blogId: string;
  ownerId: string;
  slug: string;
  title: string;
  status: string;
  postCount: number;
  subscriberCount: number;
}

/** PostView is GET /v1/posts/{id}. */
export interface PostView {
  postId: string;
  blogId: string;
  authorId: string;
  title: string;
  status: string;
  author: { userId: string; nickname: string } | null;
  blog: { blogId: string; slug: string; title: string } | null;
}

/** SubscriptionView is GET /v1/blogs/{id}/subscription. */
export interface SubscriptionView {
  subscriptionId: string;
  blogId: string;
  status: string;
  reason?: string;
}

/** FeedItem is a post without content, as in feeds and blog listings. */
export interface FeedItem {
  postId: string;
  blogId: string;
  title: string;
}
