import { type ChannelCredentials, type ChannelOptions, Metadata, status } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Registry as MetricsRegistry } from 'prom-client';
import { type BreakerOptions, serviceError } from '../breaker/breaker';
import { Breakers } from '../breaker/breakers';
import { NodeHealth } from '../breaker/node-health';
import type { Registry } from '../registry/registry';
import { skipUnavailable } from '../selector/available.filter';
import { roundRobin } from '../selector/round-robin.strategy';
import type { Strategy } from '../selector/selector';
import { REQUEST_ID_KEY, type RequestContext, currentRequest } from '../telemetry';
import { ChannelPool } from './channel-pool';
import {
  type Call,
  type CallContext,
  type CallWrapper,
  type ClientCallOptions,
  type StreamCallOptions,
  type ClientMethodOptions,
  type ClientReconfiguration,
  type ServiceClient,
  type ServiceMethods,
  compose,
} from './client';
import { NodeSet } from './node-set';
import { NO_DEADLINE, type OpenStream, pump, responseStream as readable, type StreamInput } from './stream';
import { breakerWrapper } from './wrappers/breaker.wrapper';
import { metricsWrapper } from './wrappers/metrics.wrapper';
import { type RetryOptions, retryWrapper } from './wrappers/retry.wrapper';
import { selectorWrapper } from './wrappers/selector.wrapper';
import { tracingWrapper } from './wrappers/tracing.wrapper';

/** DEFAULT_DEADLINE_MS bounds every call that has no deadline of its own. */
export const DEFAULT_DEADLINE_MS = 2000;

/** ClientOptions configure a typed client; only service, registry and logger are required. */
export interface ClientOptions<S extends ServiceMethods> {
  /** service is the logical name of the callee ('user'): the registry key (USER_SERVICE_ADDR) and the metric label. */
  service: string;
  /** registry lists the callee's nodes. */
  registry: Registry;
  /** logger receives breaker and node-health state changes. */
  logger: Logger;
  /** metrics is the calling service's own prom-client registry (call metrics, breaker metrics). */
  metrics?: MetricsRegistry;
  /** strategy picks nodes (default roundRobin); failing nodes are skipped whatever the strategy. */
  strategy?: Strategy;
  /** deadlineMs of every call unless its method says otherwise (default 2000). */
  deadlineMs?: number;
  /** methods marks idempotent methods and per-method deadlines, keyed like the definition (e.g. `getUser`). */
  methods?: { readonly [K in keyof S]?: ClientMethodOptions };
  /** retry bounds the retries of idempotent methods. */
  retry?: RetryOptions;
  /** breaker tunes the endpoint breakers. */
  breaker?: BreakerOptions;
  /** nodeCooldownMs a node is skipped after it answered UNAVAILABLE (default 5000). */
  nodeCooldownMs?: number;
  /** healthCheck polls the grpc.health.v1 Check of every known node (known after the first call); off unless given. */
  healthCheck?: { intervalMs: number; timeoutMs?: number; service?: string };
  /** credentials of the channels (default insecure: the mesh, not the framework, encrypts). */
  credentials?: ChannelCredentials;
  /** channelOptions passed to every grpc-js channel. */
  channelOptions?: ChannelOptions;
  /**
   * wrappers are the caller's own CallWrappers (metadata, auth, logging, fault injection in tests). They run
   * outermost, in the order given, before the framework's chain: each sees the logical call as the caller made it
   * (deadline fixed, request id set) and its final outcome, after the breaker and any retries.
   */
  wrappers?: readonly CallWrapper[];
}

/** A generated client constructor (e.g. `UserServiceClient`) carries its service definition. */
type GeneratedClient<S> = { readonly service: S };

/**
 * createClient makes a typed, promise-based client of a gRPC service from its generated definition
 * (`UserServiceService`, or the generated `UserServiceClient` constructor).
 */
export function createClient<S extends ServiceMethods>(
  definition: S | GeneratedClient<S>,
  options: ClientOptions<S>,
): ServiceClient<S> {
  const methods = ('service' in definition && isGenerated(definition) ? definition.service : definition) as S;
  const logger = options.logger.child({ client: options.service });
  const channels = new ChannelPool(options.credentials, options.channelOptions);
  const health = new NodeHealth({ cooldownMs: options.nodeCooldownMs, logger });
  const breakers = new Breakers({ ...options.breaker, logger, metrics: options.metrics });
  const nodes = new NodeSet(
    options.service,
    options.registry,
    skipUnavailable(options.strategy ?? roundRobin, (node) => health.isAvailable(node)),
    (node) => {
      health.forget(node);
      channels.drop(node.address);
    },
  );

  // The order is the design (outermost first):
  //   [the caller's wrappers] -> tracing -> metrics -> breaker -> retry -> selector -> transport.
  // - tracing is outermost so one span covers the whole logical call, retries included, and its traceparent is in
  //   the metadata that every attempt sends.
  // - metrics sits outside the breaker so it records what the caller saw, fast failures of an open breaker included.
  // - breaker sits outside retry so it judges the outcome after retries: one logical call is one success or failure,
  //   not three. The deadline (fixed before the chain, enforced by grpc-js in the transport) is inside the breaker,
  //   so a slow callee reaches it as DEADLINE_EXCEEDED and counts as a failure (the moleculer#1202 trap is a timeout
  //   placed outside the breaker, where timeouts never count).
  // - selector is innermost so each retry picks a node again: a retry after UNAVAILABLE goes to another node, and
  //   the node's health is recorded per attempt.
  const wrappers: CallWrapper[] = [...(options.wrappers ?? []), tracingWrapper()];
  if (options.metrics) wrappers.push(metricsWrapper(options.metrics));
  wrappers.push(
    breakerWrapper(breakers),
    retryWrapper(options.retry),
    selectorWrapper(() => nodes.pick(), health),
  );
  const invoke = compose(wrappers)(channels.transport());

  let closed = false;
  const client: Record<string, unknown> = {};
  // The per-method options in force: read at each call, so reconfigure applies to the calls that follow.
  const methodOptions: Partial<Record<string, ClientMethodOptions>> = { ...(options.methods ?? {}) };
  for (const [key, definitionOfMethod] of Object.entries(methods)) {
    const method = definitionOfMethod.path.split('/').pop() ?? key;
    const streaming = Boolean(definitionOfMethod.requestStream || definitionOfMethod.responseStream);
    client[key] = (request: unknown, callOptions: StreamCallOptions = {}) => {
      if (closed)
        return Promise.reject(serviceError(status.UNAVAILABLE, `${options.service} client is closed`));
      const perMethod: ClientMethodOptions = methodOptions[key] ?? {};
      // A unary call's timeout is its deadline; a stream's is the time its start may take (its deadline is separate:
      // none unless configured, so a live stream lasts).
      const timeoutMs = streaming
        ? (perMethod.startTimeoutMs ?? DEFAULT_DEADLINE_MS)
        : (perMethod.deadlineMs ?? options.deadlineMs ?? DEFAULT_DEADLINE_MS);
      const budgetMs = streaming ? perMethod.deadlineMs : timeoutMs;
      // Inside a handler, a downstream call inherits the incoming call's request id and (remaining) deadline.
      const incoming = currentRequest();
      const deadline = deadlineOf(budgetMs, callOptions.deadline, incoming);
      // A deadline spent before the call is the caller's problem: fail here, outside the breaker, not at the callee.
      if (deadline.getTime() <= Date.now()) {
        return Promise.reject(
          serviceError(status.DEADLINE_EXCEEDED, `${options.service}.${method}: deadline passed`),
        );
      }
      const ctx: CallContext = {
        service: options.service,
        method,
        endpoint: `${options.service}.${method}`,
        definition: definitionOfMethod,
        idempotent: perMethod.idempotent ?? false,
        timeoutMs,
        deadline,
        metadata: metadataOf(callOptions, incoming),
        attempt: 1,
      };
      return streaming ? startStream(invoke, request, ctx, callOptions.signal) : invoke(request, ctx);
    };
  }

  const timer = options.healthCheck && pollHealth(options.healthCheck, nodes, channels, health);
  client.reconfigure = (changes: ClientReconfiguration<S>) => {
    for (const [key, perMethod] of Object.entries(changes.methods ?? {})) {
      if (!(key in methods)) throw new Error(`${options.service} client: no method ${key} to reconfigure`);
      methodOptions[key] = perMethod as ClientMethodOptions;
    }
    if (changes.breaker) breakers.reconfigure(changes.breaker);
  };
  client.close = () => {
    closed = true;
    if (timer) clearInterval(timer);
    nodes.close();
    breakers.shutdown();
    channels.close();
  };
  return client as ServiceClient<S>;
}

function isGenerated<S>(definition: unknown): definition is GeneratedClient<S> {
  return typeof definition === 'function';
}

/**
 * A caller's or incoming call's deadline may only shorten the method's own: deadlines shrink down a call chain.
 * budgetMs undefined (a stream without a configured deadline) means none of its own.
 */
function deadlineOf(
  budgetMs: number | undefined,
  callerDeadline: ClientCallOptions['deadline'],
  incoming?: RequestContext,
): Date {
  const theirs = callerDeadline instanceof Date ? callerDeadline.getTime() : (callerDeadline ?? Infinity);
  const own = budgetMs === undefined ? Infinity : Date.now() + budgetMs;
  return new Date(Math.min(own, theirs, incoming?.deadline ?? Infinity, NO_DEADLINE.getTime()));
}

/**
 * startStream runs a stream's start through the wrappers, then pumps the caller's messages (client and bidi) and
 * hands back the answer (client stream) or the messages to iterate (server and bidi).
 */
async function startStream(
  invoke: Call,
  input: unknown,
  ctx: CallContext,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  if (signal?.aborted) throw serviceError(status.CANCELLED, `${ctx.endpoint}: cancelled before the start`);
  const { requestStream, responseStream } = ctx.definition;
  const streamInput: StreamInput = requestStream
    ? { requests: input as AsyncIterable<unknown> }
    : { request: input };
  const opened = (await invoke(streamInput, ctx)) as OpenStream;
  if (signal) {
    const cancel = (): void => opened.cancel();
    // Aborted while the stream was starting: cancel it now.
    if (signal.aborted) cancel();
    signal.addEventListener('abort', cancel, { once: true });
    void opened.closed.catch(() => undefined).finally(() => signal.removeEventListener('abort', cancel));
  }
  if (requestStream) void pump((streamInput as { requests: AsyncIterable<unknown> }).requests, opened);
  return responseStream ? readable(opened) : opened.closed;
}

function metadataOf({ metadata, requestId }: ClientCallOptions, incoming?: RequestContext): Metadata {
  const result = metadata?.clone() ?? new Metadata();
  const id = requestId ?? incoming?.requestId;
  if (id) result.set(REQUEST_ID_KEY, id);
  return result;
}

function pollHealth(
  { intervalMs, timeoutMs, service }: NonNullable<ClientOptions<ServiceMethods>['healthCheck']>,
  nodes: NodeSet,
  channels: ChannelPool,
  health: NodeHealth,
): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void Promise.all(
      nodes.nodes.map((node) =>
        channels.check(node.address, timeoutMs ?? Math.min(intervalMs, 1000), service).then(
          () => health.succeeded(node),
          (err: Error) => health.checkFailed(node, err.message),
        ),
      ),
    ).finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return timer;
}
