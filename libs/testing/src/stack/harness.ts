// A service under test: the real service in-process on the local stack (ports 0), a real gRPC client to it, a bus
// to feed the events it consumes, a tap on the events it emits, its captured logs, SQL access to its schema, and
// whether its consumer has processed an event (its inbox row).
//
//   const h = await startOnStack({
//     service: blogService, definition: blog.BlogServiceService, schema: 'blog', emits: [AggregateTypes.blog],
//   });
//   await h.bus.feed(events.UserCreated, 'UserCreated', { aggregateType: AggregateTypes.profile, aggregateId, data });
//   const { event } = await h.emitted.next('BlogCreated', events.BlogCreated, (e) => e.ownerId === userId);
//   await h.stop();
import {
  createClient,
  createService,
  serviceAddrVariable,
  StaticRegistry,
  type BaseConfig,
  type OutboxEvent,
  type PgStore,
  type ServiceClient,
  type ServiceHandle,
  type ServiceMethods,
  type ServiceOptions,
} from '@blog/framework';
import { topicFor, type AggregateType } from '@blog/proto';
import { EventBus } from '../events/event-bus';
import type { EventTap } from '../events/event-tap';
import { LogTap } from '../logs/log-tap';
import { must, waitFor } from '../wait';
import { serviceEnv, stackCredentials, testLogger } from './env';
import { isHandled, stackStore } from './store';

/** gatewayName is the identity the harness's client calls with: the services' one caller. */
const gatewayName = 'api-gateway';

/** StackServiceOptions say which service to start and what to watch. */
export interface StackServiceOptions<C extends BaseConfig, S extends ServiceMethods> {
  /** service is the app's options factory (authService, blogService, ...); its name picks its stack variables. */
  service: (overrides: Partial<ServiceOptions<C>>) => ServiceOptions<C>;
  /** definition is the gRPC service the client calls, e.g. `blog.BlogServiceService`. */
  definition: S;
  /** schema is the service's database schema. */
  schema: string;
  /** emits are the aggregate types whose topics are tapped: the service's own events. */
  emits: readonly AggregateType[];
  /** env adds or replaces variables of the service's environment (see serviceEnv). */
  env?: Record<string, string>;
  /**
   * caller is the identity the client calls with (mTLS, the stack's certificate): the gateway by default, so actor_id
   * is honoured as in production; `blog-tools` for a service that lists no caller yet (it may call, never as a user).
   */
  caller?: string;
  /** deadlineMs of the client's calls (default 15 s: the stack is shared and the machine small). */
  deadlineMs?: number;
}

/** StackHarness is a running service and what a test needs around it. */
export interface StackHarness<C extends BaseConfig, S extends ServiceMethods> {
  readonly service: ServiceHandle<C>;
  readonly client: ServiceClient<S>;
  /** bus feeds events the way Debezium publishes them. */
  readonly bus: EventBus;
  /** emitted sees every event on the tapped topics, from their beginning. */
  readonly emitted: EventTap;
  /** logs are the service's own log lines (it logs at debug). */
  readonly logs: LogTap;
  /** store reaches the service's schema with its own role, to arrange and check state. */
  readonly store: PgStore;
  /** handled tells whether the service's consumer committed an event: its inbox row commits with the handler. */
  handled(event: OutboxEvent): Promise<boolean>;
  /** processed waits until the service's consumer committed an event (see handled). */
  processed(event: OutboxEvent): Promise<void>;
  /** stop closes the client, the service, the bus and the store. */
  stop(): Promise<void>;
}

/**
 * startOnStack taps the service's topics first, then starts the service, its client and a store. Anything it had
 * started is stopped again if a later step fails, so a failed start-up leaves no consumer or pool behind.
 */
export async function startOnStack<C extends BaseConfig, S extends ServiceMethods>(
  options: StackServiceOptions<C, S>,
): Promise<StackHarness<C, S>> {
  const name = options.service({}).name;
  const logs = new LogTap();
  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const bus = await EventBus.connect(name);
    stops.push(() => bus.close());
    const emitted = await bus.tap(options.emits.map(topicFor));
    const service = await createService(
      options.service({ env: serviceEnv(name, options.env), logDestination: logs }),
    );
    stops.push(() => service.stop());
    const client = createClient(options.definition, {
      service: name,
      // The test calls as the gateway does (its identity, so actor_id is honoured) unless told otherwise, and checks
      // that the server is `name`.
      credentials: stackCredentials(options.caller ?? gatewayName, name),
      registry: new StaticRegistry({ [serviceAddrVariable(name)]: `127.0.0.1:${service.ports.grpc}` }),
      logger: testLogger,
      deadlineMs: options.deadlineMs ?? 15_000,
    });
    stops.push(() => client.close());
    const store = await stackStore(name, options.schema);
    stops.push(() => store.close());
    const handled = (event: OutboxEvent) => isHandled(store, name, must(event.id, 'the event id'));
    const processed = async (event: OutboxEvent) => {
      await waitFor(`${event.type} ${event.id} processed by ${name}`, () => handled(event));
    };
    return { service, client, bus, emitted, logs, store, handled, processed, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
