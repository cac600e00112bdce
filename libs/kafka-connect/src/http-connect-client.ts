import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import {
  ConnectError,
  ConnectTimeoutError,
  ConnectorFailedError,
  type ConnectorConfig,
  type ConnectorInfo,
  type ConnectorPlugin,
  type ConnectorStatus,
  type KafkaConnectClient,
  type RestartOptions,
  type UpsertResult,
  type WaitOptions,
  type WorkerHealth,
} from './connect-client';
import { readinessOf } from './readiness';

/** ConnectClientOptions configure createKafkaConnectClient. */
export interface ConnectClientOptions {
  /** url of one worker, e.g. http://127.0.0.1:8083. */
  url: string;
  /** requestTimeoutMs bounds each HTTP request (Connect itself answers within 90 s or times out). */
  requestTimeoutMs?: number;
  /** conflictRetries is how many times a rebalance answer (409, or 500 "rebalance is expected") is retried. */
  conflictRetries?: number;
  /** conflictBackoffMs is the first wait after a 409; it doubles up to 2 s. */
  conflictBackoffMs?: number;
}

const defaults = { requestTimeoutMs: 30_000, conflictRetries: 20, conflictBackoffMs: 250 };
const defaultWait = { timeoutMs: 60_000, intervalMs: 250 };

/** createKafkaConnectClient returns the axios-based KafkaConnectClient of one Connect worker. */
export function createKafkaConnectClient(options: ConnectClientOptions): KafkaConnectClient {
  const settings = { ...defaults, ...options };
  const http = axios.create({
    baseURL: settings.url.replace(/\/+$/, ''),
    timeout: settings.requestTimeoutMs,
    // The worker is addressed directly: an HTTP_PROXY in the environment must not capture 127.0.0.1 calls.
    proxy: false,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    // Every status reaches `send`, which turns non-2xx answers into ConnectErrors.
    validateStatus: () => true,
  });
  return new HttpConnectClient(http, settings);
}

/** ConfigValidation is the part of Connect's validation answer read here. */
interface ConfigValidation {
  error_count: number;
  configs?: Array<{ definition?: { name?: string }; value?: { name?: string; errors?: string[] } | null }>;
}

const path = (name: string, suffix = ''): string => `/connectors/${encodeURIComponent(name)}${suffix}`;

class HttpConnectClient implements KafkaConnectClient {
  constructor(
    private readonly http: AxiosInstance,
    private readonly settings: typeof defaults,
  ) {}

  async createOrUpdate(name: string, config: ConnectorConfig): Promise<UpsertResult> {
    await this.refuseInvalid(name, config);
    const response = await this.send<ConnectorInfo>('PUT', path(name, '/config'), { body: config });
    return { created: response.status === 201, info: response.data };
  }

  async list(): Promise<string[]> {
    return (await this.send<string[]>('GET', '/connectors')).data;
  }

  async config(name: string): Promise<ConnectorConfig> {
    return (await this.send<ConnectorConfig>('GET', path(name, '/config'))).data;
  }

  async status(name: string): Promise<ConnectorStatus> {
    return (await this.send<ConnectorStatus>('GET', path(name, '/status'))).data;
  }

  async restart(name: string, options: RestartOptions = {}): Promise<ConnectorStatus | undefined> {
    const params = { includeTasks: options.includeTasks ?? true, onlyFailed: options.onlyFailed ?? true };
    const response = await this.send<ConnectorStatus | ''>('POST', path(name, '/restart'), { params });
    // 202 carries the status with the instances being restarted; 204 (plain connector restart) has no body.
    return response.status === 202 && response.data ? response.data : undefined;
  }

  async pause(name: string): Promise<void> {
    await this.send('PUT', path(name, '/pause'));
  }

  async resume(name: string): Promise<void> {
    await this.send('PUT', path(name, '/resume'));
  }

  async delete(name: string): Promise<void> {
    try {
      await this.send('DELETE', path(name));
    } catch (error) {
      if (!(error instanceof ConnectError && error.isNotFound)) throw error;
    }
  }

  async plugins(options: { connectorsOnly?: boolean } = {}): Promise<ConnectorPlugin[]> {
    const params = { connectorsOnly: options.connectorsOnly ?? true };
    return (await this.send<ConnectorPlugin[]>('GET', '/connector-plugins', { params })).data;
  }

  async health(): Promise<WorkerHealth> {
    const response = await this.send<WorkerHealth>('GET', '/health', { accept: [503] });
    return response.data;
  }

  async waitUntilHealthy(options: WaitOptions = {}): Promise<WorkerHealth> {
    return poll(options, 'Kafka Connect worker to be healthy', async () => {
      // Connect's Jetty answers 404 between opening its port and registering the REST resources, and /health
      // answers 500 while the worker cannot join its group yet (e.g. after an unclean death, until the old member's
      // session expires): both mean "not yet", not "failed".
      const health = await this.health().catch((error: unknown) => unanswered(error, 404, 500));
      return { done: 'status' in health && health.status === 'healthy', value: health };
    });
  }

  async waitUntilRunning(name: string, options: WaitOptions = {}): Promise<ConnectorStatus> {
    return poll(options, `connector ${name} to be RUNNING`, async () => {
      const status = await this.status(name).catch((error: unknown) => unanswered(error, 404));
      if (!isStatus(status)) return { done: false, value: status };
      const readiness = readinessOf(status);
      if (readiness.kind === 'failed') throw new ConnectorFailedError(status, readiness.trace);
      return { done: readiness.kind === 'running', value: status };
    });
  }

  /**
   * refuseInvalid asks the plugin's validation first (PUT /connector-plugins/{class}/config/validate) and throws
   * what Connect itself answers for an invalid config: 400, "Connector configuration is invalid and contains the
   * following N error(s)" with each field's error. Why not leave it to the PUT: Kafka Connect 4.3.1 answers 500 with
   * a NullPointerException there whenever Debezium 3.6's validation reports an error (its ConfigDef holds a key,
   * internal.legacy.snapshot.max.threads, that comes back without a value, and AbstractHerder.maybeAddConfigErrors
   * dereferences it), which hides the field at fault. Anything but a clean validation answer (an unknown plugin, an
   * older worker) leaves the judgement to the PUT.
   */
  private async refuseInvalid(name: string, config: ConnectorConfig): Promise<void> {
    const plugin = config['connector.class'];
    if (!plugin) return;
    const url = `/connector-plugins/${encodeURIComponent(plugin)}/config/validate`;
    let answer: ConfigValidation;
    try {
      answer = (await this.send<ConfigValidation>('PUT', url, { body: { ...config, name } })).data;
    } catch {
      return;
    }
    if (!answer || typeof answer.error_count !== 'number' || answer.error_count === 0) return;
    const errors = (answer.configs ?? []).flatMap((item) =>
      (item.value?.errors ?? []).map((error) => `${item.value?.name ?? item.definition?.name}: ${error}`),
    );
    const request = `PUT ${path(name, '/config')}`;
    throw new ConnectError(
      `${request}: 400 Connector configuration is invalid and contains the following ${answer.error_count} error(s):\n${errors.join('\n')}`,
      400,
      400,
      request,
    );
  }

  /** send performs one call; 409 (rebalance in progress) is retried with backoff, other failures throw. */
  private async send<T>(
    method: Method,
    url: string,
    options: { body?: unknown; params?: Record<string, unknown>; accept?: number[] } = {},
  ): Promise<AxiosResponse<T>> {
    const request = `${method} ${url}`;
    let backoff = this.settings.conflictBackoffMs;
    for (let attempt = 0; ; attempt++) {
      let response: AxiosResponse<T>;
      try {
        response = await this.http.request<T>({ method, url, data: options.body, params: options.params });
      } catch (cause) {
        throw new ConnectError(`${request}: ${describe(cause)}`, undefined, undefined, request, { cause });
      }
      const ok =
        (response.status >= 200 && response.status < 300) || options.accept?.includes(response.status);
      if (ok) return response;
      if (isRebalancing(response) && attempt < this.settings.conflictRetries) {
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 2_000);
        continue;
      }
      throw toConnectError(request, response);
    }
  }
}

/**
 * isRebalancing tells the answers a worker gives while its group rebalances: 409 for writes, and a 500 whose message
 * says a rebalance is expected (Connect's RebalanceNeededException) for any request, reads included. Both pass once
 * the rebalance is over, so they are retried rather than thrown.
 */
function isRebalancing(response: AxiosResponse): boolean {
  if (response.status === 409) return true;
  const body = response.data as { message?: unknown } | undefined;
  return response.status === 500 && typeof body?.message === 'string' && /rebalance/i.test(body.message);
}

/** toConnectError reads Connect's `{error_code, message}` body, falling back to the HTTP status line. */
function toConnectError(request: string, response: AxiosResponse): ConnectError {
  const body = response.data as { error_code?: number; message?: string } | string | undefined;
  const errorCode =
    typeof body === 'object' && typeof body.error_code === 'number' ? body.error_code : response.status;
  const detail =
    typeof body === 'object' && body.message
      ? body.message
      : typeof body === 'string' && body
        ? body
        : response.statusText;
  return new ConnectError(`${request}: ${response.status} ${detail}`, errorCode, response.status, request);
}

/**
 * unanswered lets a wait keep polling while the worker is not up yet (no answer) or the resource is not there
 * yet (one of `tolerated` statuses); anything else is a real error and stops the wait.
 */
function unanswered(error: unknown, ...tolerated: number[]): { pending: string } {
  if (error instanceof ConnectError && (error.status === undefined || tolerated.includes(error.status))) {
    return { pending: error.message };
  }
  throw error;
}

const isStatus = (value: ConnectorStatus | { pending: string }): value is ConnectorStatus =>
  'connector' in value;

async function poll<T>(
  options: WaitOptions,
  what: string,
  check: () => Promise<{ done: boolean; value: T | { pending: string } }>,
): Promise<T> {
  const { timeoutMs, intervalMs } = { ...defaultWait, ...options };
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const { done, value } = await check();
    if (done) return value as T;
    last = value;
    if (Date.now() + intervalMs > deadline) {
      throw new ConnectTimeoutError(
        `timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`,
        last,
      );
    }
    await sleep(intervalMs);
  }
}

function describe(cause: unknown): string {
  if (axios.isAxiosError(cause)) return cause.code ? `${cause.code} ${cause.message}` : cause.message;
  return cause instanceof Error ? cause.message : String(cause);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
