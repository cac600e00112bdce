// Test support: six real grpc-js servers on 127.0.0.1 (framework server, interceptors and grpc.health.v1, as the real
// services have), one per downstream service, serving a FakeWorld. A test can count calls, see the request ids that
// arrived, replace one method's handler, or stop a service and start it again on the same port.
import {
  addService,
  bindServer,
  createGrpcServer,
  GrpcHealth,
  type Handlers,
  type RequestContext,
  type UnaryHandler,
  serviceName,
} from '@blog/framework/core';
import { auth, blog, post, subscribe, user, visitor } from '@blog/proto';
import type { Server, ServiceDefinition } from '@grpc/grpc-js';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { DownstreamService } from '../clients';
import { FakeWorld } from './fake-world';

const DEFINITIONS = {
  auth: auth.AuthServiceService,
  user: user.UserServiceService,
  blog: blog.BlogServiceService,
  post: post.PostServiceService,
  visitor: visitor.VisitorServiceService,
  subscribe: subscribe.SubscribeServiceService,
} satisfies Record<DownstreamService, ServiceDefinition>;

type Definitions = typeof DEFINITIONS;
/** MethodOf names the methods of one service, e.g. MethodOf<'user'> = 'getUser' | 'updateUser'. */
export type MethodOf<K extends DownstreamService> = keyof Definitions[K] & string;
type AnyHandler = UnaryHandler<unknown, unknown>;

interface Running {
  server: Server;
  port: number;
  health: GrpcHealth;
}

/** FakeBackend is the six services, running. */
export class FakeBackend {
  /** calls counts the requests that reached each handler, by `service.method`. */
  readonly calls = new Map<string, number>();
  /** requestIds are the x-request-id values that arrived, in order. */
  readonly requestIds: string[] = [];
  /** traceIds are the trace ids the calls arrived with, in order. */
  readonly traceIds: string[] = [];
  private readonly running = new Map<DownstreamService, Running>();
  private readonly ports = new Map<DownstreamService, number>();
  private readonly overrides = new Map<string, AnyHandler>();
  private readonly logger = pino({ level: 'silent' });
  private readonly metrics = new Registry();

  private constructor(readonly world: FakeWorld) {}

  /** start runs all six services on ephemeral ports. */
  static async start(world?: FakeWorld): Promise<FakeBackend> {
    const backend = new FakeBackend(world ?? (await FakeWorld.create()));
    for (const service of Object.keys(DEFINITIONS) as DownstreamService[])
      await backend.startService(service);
    return backend;
  }

  /** env is the `<NAME>_SERVICE_ADDR` variables of the six services (for a StaticRegistry). */
  get env(): Record<string, string> {
    return Object.fromEntries(
      [...this.ports].map(([service, port]) => [
        `${service.toUpperCase()}_SERVICE_ADDR`,
        `127.0.0.1:${port}`,
      ]),
    );
  }

  /** callCount returns how many calls of `service.method` reached the handler. */
  callCount<K extends DownstreamService>(service: K, method: MethodOf<K>): number {
    return this.calls.get(`${service}.${method}`) ?? 0;
  }

  /** override replaces one method's handler until reset(). */
  override<K extends DownstreamService, M extends MethodOf<K>>(
    service: K,
    method: M,
    handler: Handlers<Definitions[K]>[M],
  ): void {
    this.overrides.set(`${service}.${method}`, handler as AnyHandler);
  }

  /** reset drops every override and counter. */
  reset(): void {
    this.overrides.clear();
    this.calls.clear();
    this.requestIds.length = 0;
    this.traceIds.length = 0;
  }

  /** setServing flips a service's grpc.health.v1 status. */
  setServing(service: DownstreamService, serving: boolean): void {
    this.running.get(service)?.health.setServing(serving);
  }

  /** stopService shuts a service down at once (its port stays reserved for startService). */
  async stopService(service: DownstreamService): Promise<void> {
    const running = this.running.get(service);
    if (!running) return;
    this.running.delete(service);
    running.server.forceShutdown();
  }

  /** startService (re)starts a service, on its previous port if it had one. */
  async startService(service: DownstreamService): Promise<void> {
    if (this.running.has(service)) return;
    const definition = DEFINITIONS[service];
    const server = createGrpcServer({ logger: this.logger, metrics: this.metrics, maxDeadlineMs: 0 });
    addService(server, { definition, implementation: this.implementation(service) }, this.logger);
    const health = new GrpcHealth([serviceName(definition)]);
    health.addToServer(server);
    const port = await bindServer(server, '127.0.0.1', this.ports.get(service) ?? 0);
    health.setServing(true);
    this.ports.set(service, port);
    this.running.set(service, { server, port, health });
  }

  /** close stops every service. */
  async close(): Promise<void> {
    for (const service of [...this.running.keys()]) await this.stopService(service);
  }

  private implementation(service: DownstreamService): Handlers<ServiceDefinition> {
    const defaults = this.world.handlers()[service] as Record<string, AnyHandler>;
    return Object.fromEntries(
      Object.keys(defaults).map((method) => {
        const endpoint = `${service}.${method}`;
        const handler: AnyHandler = (request, ctx: RequestContext) => {
          this.calls.set(endpoint, (this.calls.get(endpoint) ?? 0) + 1);
          this.requestIds.push(ctx.requestId);
          this.traceIds.push(ctx.traceId);
          return (this.overrides.get(endpoint) ?? defaults[method])(request, ctx);
        };
        return [method, handler];
      }),
    );
  }
}
