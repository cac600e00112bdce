// The gateway's downstream clients: one framework client per service, each method with its deadline and whether it
// may be retried. The deadline is the route's budget for that call; only idempotent reads are retried.
import {
  type BreakerOptions,
  type ClientMethodOptions,
  type GrpcSecurity,
  type Logger,
  type Registry,
  type RetryOptions,
  type ServiceClient,
  type ServiceMethods,
  createClient,
} from '@blog/framework/core';
import { calleesOf, gateway } from '@blog/catalog';
import { auth, blog, post, subscribe, user, visitor } from '@blog/proto';
import type { Registry as MetricsRegistry } from 'prom-client';

type Methods<S> = { readonly [K in keyof S]: ClientMethodOptions };

const read = (deadlineMs: number): ClientMethodOptions => ({ idempotent: true, deadlineMs });
const write = (deadlineMs: number): ClientMethodOptions => ({ idempotent: false, deadlineMs });

/** DOWNSTREAM_METHODS is the deadline and retry policy of every RPC the gateway calls (README "Deadlines"). */
export const DOWNSTREAM_METHODS = {
  auth: {
    // Password hashing (argon2id) is deliberately slow and CPU-bound: a burst of sign-ups or logins queues on the
    // hashing threads (20 at once took up to 3.06 s on a 2-core host running the whole compose stack), so these two
    // get the longest budget, still inside the route's 5000 ms.
    createAccount: write(4500),
    getAccount: read(500),
    login: write(4500),
    refresh: write(1500),
    logout: write(1500),
    requestAccountDeletion: write(2000),
    getJwks: read(1000),
  } satisfies Methods<typeof auth.AuthServiceService>,
  user: {
    getUser: read(500),
    updateUser: write(1500),
  } satisfies Methods<typeof user.UserServiceService>,
  blog: {
    getBlog: read(500),
    getBlogBySlug: read(500),
    getBlogByOwner: read(500),
    updateBlog: write(1500),
  } satisfies Methods<typeof blog.BlogServiceService>,
  post: {
    submitPost: write(2000),
    getPost: read(800),
    listBlogPosts: read(1000),
    updatePost: write(1500),
    deletePost: write(1500),
  } satisfies Methods<typeof post.PostServiceService>,
  visitor: {
    // Fire-and-forget: a short budget and no retry, so a struggling visitor service sheds the load at once.
    recordView: write(300),
    // The gateway's one stream of views (composition/view-stream.ts): no deadline, a quick start, any replica.
    recordViews: { idempotent: true, startTimeoutMs: 1000 },
    getPostStats: read(500),
    getBlogStats: read(500),
  } satisfies Methods<typeof visitor.VisitorServiceService>,
  subscribe: {
    subscribe: write(1500),
    getSubscription: read(500),
    unsubscribe: write(1500),
    listSubscriptions: read(800),
    getFeed: read(1000),
    // A live stream: no deadline of its own (the client ends it); its start may take 1 s and is retried on another
    // replica when one answers UNAVAILABLE (nothing has been sent yet).
    streamFeed: { idempotent: true, startTimeoutMs: 1000 },
  } satisfies Methods<typeof subscribe.SubscribeServiceService>,
};

/** DownstreamService is one registry name. */
export type DownstreamService = keyof typeof DOWNSTREAM_METHODS;

/**
 * DOWNSTREAM_SERVICES are the registry names of the services the gateway calls (and checks in /readyz): the
 * catalog's services that list the gateway among their callers (libs/catalog), each located by <NAME>_SERVICE_ADDR.
 */
export const DOWNSTREAM_SERVICES: readonly DownstreamService[] = calleesOf(gateway.name).map((s) => {
  if (!(s.name in DOWNSTREAM_METHODS)) throw new Error(`the gateway has no client policy for ${s.name}`);
  return s.name as DownstreamService;
});

/** GatewayClients are the typed clients the routes use. */
export interface GatewayClients {
  readonly auth: ServiceClient<typeof auth.AuthServiceService>;
  readonly users: ServiceClient<typeof user.UserServiceService>;
  readonly blogs: ServiceClient<typeof blog.BlogServiceService>;
  readonly posts: ServiceClient<typeof post.PostServiceService>;
  readonly visitors: ServiceClient<typeof visitor.VisitorServiceService>;
  /** views records views only: its own client, so its breaker and channel are apart from the stats reads. */
  readonly views: ServiceClient<typeof visitor.VisitorServiceService>;
  readonly subscriptions: ServiceClient<typeof subscribe.SubscribeServiceService>;
}

/** ClientsOptions configure createGatewayClients. */
export interface ClientsOptions {
  readonly registry: Registry;
  readonly logger: Logger;
  readonly metrics?: MetricsRegistry;
  readonly breaker?: BreakerOptions;
  readonly retry?: RetryOptions;
  /** nodeCooldownMs a node that answered UNAVAILABLE is skipped (framework default 5000). */
  readonly nodeCooldownMs?: number;
  /**
   * security gives each client the gateway's certificate and checks that the server is the service it meant to call
   * (mTLS: grpcSecurity). Absent, the channels are plain TCP (unit tests against in-process fakes).
   */
  readonly security?: Pick<GrpcSecurity, 'clientCredentials'>;
}

/** createGatewayClients makes one client per downstream service, all sharing the registry and metrics. */
export function createGatewayClients(options: ClientsOptions): GatewayClients {
  const make = <S extends ServiceMethods>(definition: S, service: DownstreamService, methods: Methods<S>) =>
    createClient(definition, {
      service,
      registry: options.registry,
      logger: options.logger,
      metrics: options.metrics,
      methods,
      breaker: options.breaker,
      retry: options.retry,
      nodeCooldownMs: options.nodeCooldownMs,
      credentials: options.security?.clientCredentials(service),
    });
  return {
    auth: make(auth.AuthServiceService, 'auth', DOWNSTREAM_METHODS.auth),
    users: make(user.UserServiceService, 'user', DOWNSTREAM_METHODS.user),
    blogs: make(blog.BlogServiceService, 'blog', DOWNSTREAM_METHODS.blog),
    posts: make(post.PostServiceService, 'post', DOWNSTREAM_METHODS.post),
    visitors: make(visitor.VisitorServiceService, 'visitor', DOWNSTREAM_METHODS.visitor),
    views: make(visitor.VisitorServiceService, 'visitor', DOWNSTREAM_METHODS.visitor),
    subscriptions: make(subscribe.SubscribeServiceService, 'subscribe', DOWNSTREAM_METHODS.subscribe),
  };
}

/** LiveClientSettings are the client settings the gateway changes at runtime (dynamic config, README). */
export interface LiveClientSettings {
  /** deadlineFactor multiplies every deadline of DOWNSTREAM_METHODS (DOWNSTREAM_DEADLINE_FACTOR). */
  readonly deadlineFactor: number;
  readonly breaker: Pick<BreakerOptions, 'errorThresholdPercentage' | 'volumeThreshold' | 'resetTimeoutMs'>;
}

/** scaledMethods is a service's DOWNSTREAM_METHODS with every deadline multiplied by factor (whole milliseconds). */
export function scaledMethods<S>(methods: Methods<S>, factor: number): Methods<S> {
  return Object.fromEntries(
    Object.entries(methods as Record<string, ClientMethodOptions>).map(([name, options]) => [
      name,
      options.deadlineMs === undefined
        ? options
        : { ...options, deadlineMs: Math.max(1, Math.round(options.deadlineMs * factor)) },
    ]),
  ) as Methods<S>;
}

/** reconfigureGatewayClients applies new deadlines and breaker thresholds to every client; calls in flight keep theirs. */
export function reconfigureGatewayClients(clients: GatewayClients, settings: LiveClientSettings): void {
  const f = settings.deadlineFactor;
  clients.auth.reconfigure({ methods: scaledMethods(DOWNSTREAM_METHODS.auth, f), breaker: settings.breaker });
  clients.users.reconfigure({
    methods: scaledMethods(DOWNSTREAM_METHODS.user, f),
    breaker: settings.breaker,
  });
  clients.blogs.reconfigure({
    methods: scaledMethods(DOWNSTREAM_METHODS.blog, f),
    breaker: settings.breaker,
  });
  clients.posts.reconfigure({
    methods: scaledMethods(DOWNSTREAM_METHODS.post, f),
    breaker: settings.breaker,
  });
  const visitorMethods = scaledMethods(DOWNSTREAM_METHODS.visitor, f);
  clients.visitors.reconfigure({ methods: visitorMethods, breaker: settings.breaker });
  clients.views.reconfigure({ methods: visitorMethods, breaker: settings.breaker });
  clients.subscriptions.reconfigure({
    methods: scaledMethods(DOWNSTREAM_METHODS.subscribe, f),
    breaker: settings.breaker,
  });
}

/** closeGatewayClients closes every channel of every client. */
export function closeGatewayClients(clients: GatewayClients): void {
  for (const client of Object.values(clients)) client.close();
}
