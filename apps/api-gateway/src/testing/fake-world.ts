// Test support: the state of the six downstream services in memory, and the handlers that play them for the
// gateway's tests (the real services are separate apps). Sagas complete on the next tick, as eventually consistent
// services would, unless `holdSagas` is set; errors are the framework's DomainErrors, so the gRPC statuses and rich
// details the gateway sees are the ones the real services send.
import { randomUUID } from 'node:crypto';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  type Handlers,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
} from '@blog/framework/core';
import { auth, blog, post, subscribe, user, visitor } from '@blog/proto';
import { SignJWT } from 'jose';
import { AUDIENCE, ISSUER, type SigningKey, type TokenOptions, newSigningKey } from './signing-key';

const { AccountStatus: A, RejectionReason } = auth;
const { PostStatus: P } = post;
const { SubscriptionStatus: S } = subscribe;

interface AccountRecord extends auth.Account {
  email: string;
  password: string;
  nickname: string;
  blogSlug: string;
}

const now = () => new Date().toISOString();
const later = (fn: () => void) => setTimeout(fn, 0);

/** FakeWorld is the downstream state; `handlers()` serves it. */
export class FakeWorld {
  readonly accounts = new Map<string, AccountRecord>();
  readonly users = new Map<string, user.User>();
  readonly blogs = new Map<string, blog.Blog>();
  readonly posts = new Map<string, post.Post>();
  readonly subscriptions = new Map<string, subscribe.Subscription>();
  readonly views = new Map<string, visitor.RecordViewRequest>();
  readonly refreshTokens = new Map<string, { accountId: string; family: string; used: boolean }>();
  /** keys are served by GetJwks; tests may add a rotated one. */
  readonly keys: SigningKey[];
  /** holdSagas leaves new accounts, posts and subscriptions PENDING, and deleted accounts DELETING. */
  holdSagas = false;

  private constructor(key: SigningKey) {
    this.keys = [key];
  }

  /** create makes a world with one signing key. */
  static async create(): Promise<FakeWorld> {
    return new FakeWorld(await newSigningKey());
  }

  /** accessToken signs a token for an account, as the auth service would. */
  async accessToken(accountId: string, options: TokenOptions = {}): Promise<string> {
    const key = options.key ?? this.keys[0];
    return new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
      .setSubject(accountId)
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresInSeconds ?? 900))
      .sign(key.privateKey);
  }

  /** handlers are the implementations of the six services over this world. */
  handlers() {
    return {
      auth: this.authHandlers(),
      user: this.userHandlers(),
      blog: this.blogHandlers(),
      post: this.postHandlers(),
      visitor: this.visitorHandlers(),
      subscribe: this.subscribeHandlers(),
    };
  }

  private authHandlers(): Handlers<typeof auth.AuthServiceService> {
    const account = (id: string) => {
      const found = this.accounts.get(id);
      if (!found) throw new NotFoundError('account not found');
      return found;
    };
    const view = (a: AccountRecord): auth.Account => ({
      accountId: a.accountId,
      status: a.status,
      reason: a.reason,
      createdAt: a.createdAt,
    });
    const issue = async (accountId: string, family: string = randomUUID()) => {
      const refreshToken = randomUUID();
      this.refreshTokens.set(refreshToken, { accountId, family, used: false });
      const accessToken = await this.accessToken(accountId);
      return {
        tokens: { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: 900, userId: accountId },
      };
    };
    return {
      createAccount: ({ email, password, nickname, blogSlug }) => {
        const taken = [...this.accounts.values()].some(
          (a) =>
            a.email === email.toLowerCase() &&
            a.status !== A.ACCOUNT_STATUS_REJECTED &&
            a.status !== A.ACCOUNT_STATUS_DELETED,
        );
        if (taken) throw new AlreadyExistsError('email is already registered');
        const record: AccountRecord = {
          accountId: randomUUID(),
          status: A.ACCOUNT_STATUS_PENDING,
          reason: RejectionReason.REJECTION_REASON_UNSPECIFIED,
          createdAt: now(),
          email: email.toLowerCase(),
          password,
          nickname,
          blogSlug: blogSlug || nickname.toLowerCase().replace(/_/g, '-'),
        };
        this.accounts.set(record.accountId, record);
        if (!this.holdSagas) later(() => this.completeSignUp(record));
        return { account: view(record) };
      },
      getAccount: ({ accountId }) => ({ account: view(account(accountId)) }),
      login: async ({ email, password }) => {
        const found = [...this.accounts.values()].find(
          (a) => a.email === email.toLowerCase() && a.password === password,
        );
        if (!found) throw new UnauthenticatedError('invalid email or password');
        if (found.status === A.ACCOUNT_STATUS_PENDING)
          throw new FailedPreconditionError('the account is still being created');
        if (found.status !== A.ACCOUNT_STATUS_ACTIVE)
          throw new UnauthenticatedError('the account is not active');
        return issue(found.accountId);
      },
      refresh: async ({ refreshToken }) => {
        const record = this.refreshTokens.get(refreshToken);
        if (!record) throw new UnauthenticatedError('invalid refresh token');
        if (record.used) {
          for (const other of this.refreshTokens.values())
            if (other.family === record.family) other.used = true;
          throw new UnauthenticatedError('refresh token reused: the session is revoked');
        }
        record.used = true;
        return issue(record.accountId, record.family);
      },
      logout: ({ refreshToken, accountId }) => {
        const record = this.refreshTokens.get(refreshToken);
        if (record && record.accountId === accountId) record.used = true;
        return {};
      },
      requestAccountDeletion: ({ accountId }) => {
        const found = account(accountId);
        if (found.status !== A.ACCOUNT_STATUS_ACTIVE)
          throw new FailedPreconditionError('the account is not active');
        found.status = A.ACCOUNT_STATUS_DELETING;
        if (!this.holdSagas) later(() => this.completeDeletion(found));
        return { account: view(found) };
      },
      getJwks: () => ({
        keys: this.keys.map(({ publicJwk: k }) => ({
          kty: k.kty ?? '',
          crv: k.crv ?? '',
          x: k.x ?? '',
          kid: k.kid ?? '',
          alg: k.alg ?? '',
          use: k.use ?? '',
        })),
      }),
    };
  }

  /** completeSignUp is the sign-up saga: profile, blog, ACTIVE; or REJECTED with a reason. */
  completeSignUp(record: AccountRecord): void {
    const lower = record.nickname.toLowerCase();
    const reject = (reason: auth.RejectionReason) =>
      Object.assign(record, { status: A.ACCOUNT_STATUS_REJECTED, reason });
    if ([...this.users.values()].some((u) => u.nickname.toLowerCase() === lower)) {
      return void reject(RejectionReason.REJECTION_REASON_NICKNAME_TAKEN);
    }
    if ([...this.blogs.values()].some((b) => b.slug === record.blogSlug)) {
      return void reject(RejectionReason.REJECTION_REASON_BLOG_SLUG_TAKEN);
    }
    const id = record.accountId;
    this.users.set(id, { userId: id, nickname: record.nickname, bio: '', createdAt: now() });
    const blogId = randomUUID();
    this.blogs.set(blogId, {
      blogId,
      ownerId: id,
      slug: record.blogSlug,
      title: `${record.nickname}'s blog`,
      description: '',
      status: blog.BlogStatus.BLOG_STATUS_ACTIVE,
      postCount: 0,
      subscriberCount: 0,
      createdAt: now(),
    });
    record.status = A.ACCOUNT_STATUS_ACTIVE;
  }

  /** completeDeletion is the account deletion saga as the gateway sees it: profile and blog gone, posts DELETED. */
  completeDeletion(record: AccountRecord): void {
    const id = record.accountId;
    this.users.delete(id);
    for (const [blogId, owned] of this.blogs) if (owned.ownerId === id) this.blogs.delete(blogId);
    for (const written of this.posts.values()) {
      if (written.authorId === id) written.status = P.POST_STATUS_DELETED;
    }
    record.status = A.ACCOUNT_STATUS_DELETED;
  }

  private userHandlers(): Handlers<typeof user.UserServiceService> {
    const find = (userId: string) => {
      const found = this.users.get(userId);
      if (!found) throw new NotFoundError('user not found');
      return found;
    };
    return {
      getUser: ({ userId }) => ({ user: find(userId) }),
      updateUser: ({ userId, nickname, bio }) => {
        const profile = find(userId);
        if (nickname !== undefined) {
          const taken = [...this.users.values()].some(
            (u) => u.userId !== userId && u.nickname.toLowerCase() === nickname.toLowerCase(),
          );
          if (taken)
            throw new AlreadyExistsError('nickname is taken', {
              violations: [{ field: 'nickname', message: 'is taken' }],
            });
          profile.nickname = nickname;
        }
        if (bio !== undefined) profile.bio = bio;
        return { user: profile };
      },
    };
  }

  private blogHandlers(): Handlers<typeof blog.BlogServiceService> {
    const one = (found: blog.Blog | undefined) => {
      if (!found) throw new NotFoundError('blog not found');
      return { blog: found };
    };
    const all = () => [...this.blogs.values()];
    return {
      getBlog: ({ blogId }) => one(this.blogs.get(blogId)),
      getBlogBySlug: ({ slug }) => one(all().find((b) => b.slug === slug)),
      getBlogByOwner: ({ ownerId }) => one(all().find((b) => b.ownerId === ownerId)),
      updateBlog: ({ blogId, actorId, title, description }) => {
        const { blog: found } = one(this.blogs.get(blogId));
        if (found.ownerId !== actorId) throw new PermissionDeniedError('only the owner may change the blog');
        if (title !== undefined) found.title = title;
        if (description !== undefined) found.description = description;
        return { blog: found };
      },
    };
  }

  private postHandlers(): Handlers<typeof post.PostServiceService> {
    const writable = (postId: string, actorId: string) => {
      const found = this.posts.get(postId);
      if (!found || found.status === P.POST_STATUS_DELETED) throw new NotFoundError('post not found');
      if (found.authorId !== actorId) throw new PermissionDeniedError('only the author may change the post');
      if (found.status === P.POST_STATUS_PENDING)
        throw new FailedPreconditionError('the post is being published');
      return found;
    };
    return {
      submitPost: ({ blogId, authorId, title, content, tags }) => {
        const created: post.Post = {
          postId: randomUUID(),
          blogId,
          authorId,
          title,
          content,
          tags,
          status: P.POST_STATUS_PENDING,
          createdAt: now(),
          updatedAt: now(),
        };
        this.posts.set(created.postId, created);
        if (!this.holdSagas) later(() => this.publish(created.postId));
        return { post: created };
      },
      getPost: ({ postId, viewerId }) => {
        const found = this.posts.get(postId);
        const hidden =
          !found ||
          found.status === P.POST_STATUS_DELETED ||
          (found.status !== P.POST_STATUS_PUBLISHED && found.authorId !== viewerId);
        if (hidden) throw new NotFoundError('post not found');
        return { post: found };
      },
      listBlogPosts: ({ blogId, limit, cursor }) => this.page((p) => p.blogId === blogId, limit, cursor),
      updatePost: ({ postId, actorId, title, content, tags }) => {
        const found = writable(postId, actorId);
        Object.assign(found, {
          title: title ?? found.title,
          content: content ?? found.content,
          tags: tags ? tags.values : found.tags,
          updatedAt: now(),
        });
        return { post: found };
      },
      deletePost: ({ postId, actorId }) => {
        writable(postId, actorId).status = P.POST_STATUS_DELETED;
        return {};
      },
    };
  }

  /** publish is the publish saga's happy end. */
  publish(postId: string): void {
    const found = this.posts.get(postId);
    if (!found || found.status !== P.POST_STATUS_PENDING) return;
    found.status = P.POST_STATUS_PUBLISHED;
    const owner = this.blogs.get(found.blogId);
    if (owner) owner.postCount += 1;
  }

  private page(filter: (p: post.Post) => boolean, limit: number, cursor: string) {
    const published = [...this.posts.values()]
      .filter((p) => p.status === P.POST_STATUS_PUBLISHED && filter(p))
      .sort(
        (a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b.postId.localeCompare(a.postId),
      );
    const start = cursor ? Number(cursor) : 0;
    const items = published
      .slice(start, start + (limit || 20))
      .map(({ content: _content, ...summary }) => summary);
    const next = start + items.length;
    return { items, nextCursor: next < published.length ? String(next) : '' };
  }

  private visitorHandlers(): Handlers<typeof visitor.VisitorServiceService> {
    const views = this.views;
    const counts = (filter: (v: visitor.RecordViewRequest) => boolean) => {
      const matching = [...this.views.values()].filter(filter);
      return { views: matching.length, uniqueVisitors: new Set(matching.map((v) => v.viewerId)).size };
    };
    return {
      recordView: (request) => {
        this.views.set(request.viewId, request);
        return {};
      },
      // Like the visitor service: each view stored under its id (a resent view counts once), then acknowledged.
      recordViews: async function* (this: void, requests) {
        for await (const { view } of requests) {
          if (!view) continue;
          views.set(view.viewId, view);
          yield { viewId: view.viewId, refused: false };
        }
      },
      getPostStats: ({ postId }) => ({ postId, total: counts((v) => v.postId === postId) }),
      getBlogStats: ({ blogId }) => {
        const total = counts((v) => v.blogId === blogId);
        return { blogId, total, today: total };
      },
    };
  }

  private subscribeHandlers(): Handlers<typeof subscribe.SubscribeServiceService> {
    const key = (subscriberId: string, blogId: string) => `${subscriberId}/${blogId}`;
    const live = (s: subscribe.Subscription | undefined) =>
      s !== undefined &&
      (s.status === S.SUBSCRIPTION_STATUS_PENDING || s.status === S.SUBSCRIPTION_STATUS_ACTIVE);
    return {
      subscribe: ({ subscriberId, blogId }) => {
        const existing = this.subscriptions.get(key(subscriberId, blogId));
        if (live(existing)) return { subscription: existing, created: false };
        const created: subscribe.Subscription = {
          subscriptionId: randomUUID(),
          subscriberId,
          blogId,
          status: S.SUBSCRIPTION_STATUS_PENDING,
          reason: subscribe.SubscriptionRejectionReason.SUBSCRIPTION_REJECTION_REASON_UNSPECIFIED,
          createdAt: now(),
        };
        this.subscriptions.set(key(subscriberId, blogId), created);
        if (!this.holdSagas) later(() => this.acceptSubscription(created));
        return { subscription: created, created: true };
      },
      getSubscription: ({ subscriberId, blogId }) => {
        const found = this.subscriptions.get(key(subscriberId, blogId));
        if (!found) throw new NotFoundError('no subscription to this blog');
        return { subscription: found };
      },
      unsubscribe: ({ subscriberId, blogId }) => {
        const found = this.subscriptions.get(key(subscriberId, blogId));
        if (!found || !live(found)) throw new NotFoundError('no subscription to this blog');
        // Like the subscribe service: PENDING is the saga's lock (the contract in contracts/rpc holds both to it).
        if (found.status === S.SUBSCRIPTION_STATUS_PENDING)
          throw new FailedPreconditionError(
            'the subscription is PENDING: wait until it is ACTIVE or REJECTED',
            {
              reason: 'SUBSCRIPTION_PENDING',
            },
          );
        const target = this.blogs.get(blogId);
        if (target && found.status === S.SUBSCRIPTION_STATUS_ACTIVE) target.subscriberCount -= 1;
        found.status = S.SUBSCRIPTION_STATUS_CANCELLED;
        return {};
      },
      listSubscriptions: ({ subscriberId }) => ({
        items: [...this.subscriptions.values()].filter((s) => s.subscriberId === subscriberId && live(s)),
      }),
      getFeed: ({ subscriberId, limit, cursor }) => {
        const followed = new Set(
          [...this.subscriptions.values()]
            .filter((s) => s.subscriberId === subscriberId && s.status === S.SUBSCRIPTION_STATUS_ACTIVE)
            .map((s) => s.blogId),
        );
        return this.page((p) => followed.has(p.blogId), limit, cursor);
      },
      // The live feed is proven against the real subscribe service (e2e); here the stream stays open, empty, until
      // the caller leaves, so the route's own checks and its start can be tested.
      streamFeed: async function* (_request, ctx) {
        await new Promise<void>((resolve) =>
          ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        yield* [];
      },
    };
  }

  /** acceptSubscription is the subscribe saga: REJECTED for an unknown or own blog, else ACTIVE. */
  acceptSubscription(subscription: subscribe.Subscription): void {
    const target = this.blogs.get(subscription.blogId);
    const reasons = subscribe.SubscriptionRejectionReason;
    if (!target || target.ownerId === subscription.subscriberId) {
      subscription.status = S.SUBSCRIPTION_STATUS_REJECTED;
      subscription.reason = target
        ? reasons.SUBSCRIPTION_REJECTION_REASON_SELF_SUBSCRIPTION
        : reasons.SUBSCRIPTION_REJECTION_REASON_BLOG_NOT_FOUND;
      return;
    }
    subscription.status = S.SUBSCRIPTION_STATUS_ACTIVE;
    target.subscriberCount += 1;
  }
}
