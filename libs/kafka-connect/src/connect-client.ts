// The Kafka Connect REST contract: response types, the client interface and its errors.
// Field names follow Connect's JSON (snake_case where Connect uses it) so responses need no mapping.

/** ConnectorState is the state Connect reports for a connector or a task. */
export type ConnectorState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';

/** ConnectorConfig is a connector's flat string-to-string configuration. */
export type ConnectorConfig = Record<string, string>;

/** ConnectorInfo is what Connect returns for a created or updated connector. */
export interface ConnectorInfo {
  name: string;
  config: ConnectorConfig;
  tasks: { connector: string; task: number }[];
  type?: 'source' | 'sink' | 'unknown';
}

/** TaskStatus is one task's state in a connector status. */
export interface TaskStatus {
  id: number;
  state: ConnectorState;
  worker_id: string;
  /** trace is the Java stack trace of a FAILED task. */
  trace?: string;
}

/** ConnectorStatus is GET /connectors/{name}/status. */
export interface ConnectorStatus {
  name: string;
  connector: { state: ConnectorState; worker_id: string; trace?: string };
  tasks: TaskStatus[];
  type?: 'source' | 'sink' | 'unknown';
}

/** ConnectorPlugin is one entry of GET /connector-plugins. */
export interface ConnectorPlugin {
  class: string;
  type: string;
  version?: string;
}

/** WorkerHealth is GET /health (Kafka 3.9+): `healthy`, `starting` or `unhealthy`. */
export interface WorkerHealth {
  status: 'healthy' | 'starting' | 'unhealthy' | string;
  message: string;
}

/** UpsertResult tells whether createOrUpdate created the connector or updated an existing one. */
export interface UpsertResult {
  created: boolean;
  info: ConnectorInfo;
}

/** RestartOptions select what POST /connectors/{name}/restart restarts (KIP-745). */
export interface RestartOptions {
  includeTasks?: boolean;
  onlyFailed?: boolean;
}

/** WaitOptions bound a readiness wait. */
export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/** KafkaConnectClient is a typed client of one Kafka Connect cluster's REST API. */
export interface KafkaConnectClient {
  /** createOrUpdate PUTs the config (idempotent), retrying 409s while the worker rebalances. */
  createOrUpdate(name: string, config: ConnectorConfig): Promise<UpsertResult>;
  /** list returns the names of the connectors. */
  list(): Promise<string[]>;
  /** config returns a connector's stored (unresolved) configuration. */
  config(name: string): Promise<ConnectorConfig>;
  /** status returns the connector's and its tasks' states. */
  status(name: string): Promise<ConnectorStatus>;
  /** restart restarts the connector and, by default, only its failed instances (connector and tasks). */
  restart(name: string, options?: RestartOptions): Promise<ConnectorStatus | undefined>;
  /** pause pauses the connector and its tasks. */
  pause(name: string): Promise<void>;
  /** resume resumes a paused connector. */
  resume(name: string): Promise<void>;
  /** delete removes the connector; a missing connector is not an error. */
  delete(name: string): Promise<void>;
  /** plugins lists the installed plugins (connectors only unless connectorsOnly is false). */
  plugins(options?: { connectorsOnly?: boolean }): Promise<ConnectorPlugin[]>;
  /** health returns the worker's health, also when it answers 503 (starting or unhealthy). */
  health(): Promise<WorkerHealth>;
  /** waitUntilHealthy resolves once GET /health says healthy. */
  waitUntilHealthy(options?: WaitOptions): Promise<WorkerHealth>;
  /** waitUntilRunning resolves once the connector and all its tasks are RUNNING; rejects at once if one FAILED. */
  waitUntilRunning(name: string, options?: WaitOptions): Promise<ConnectorStatus>;
}

/**
 * ConnectError is a failed Kafka Connect request: `errorCode` and the message come from Connect's error body
 * (`{"error_code": 409, "message": "..."}`); a request that got no answer has no status and keeps its cause.
 */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';

  constructor(
    message: string,
    /** errorCode is Connect's `error_code` (the HTTP status when the body has none). */
    readonly errorCode: number | undefined,
    /** status is the HTTP status, undefined when the worker did not answer. */
    readonly status: number | undefined,
    /** request is `METHOD /path` of the failed call. */
    readonly request: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** isNotFound tells whether Connect answered 404 (unknown connector). */
  get isNotFound(): boolean {
    return this.status === 404;
  }
}

/** ConnectorFailedError is thrown by waitUntilRunning when the connector or one of its tasks FAILED. */
export class ConnectorFailedError extends Error {
  override readonly name = 'ConnectorFailedError';

  constructor(
    readonly status: ConnectorStatus,
    /** trace is the first Java stack trace Connect reported. */
    readonly trace: string | undefined,
  ) {
    super(`connector ${status.name} FAILED${trace ? `: ${trace.split('\n')[0]}` : ''}`);
  }
}

/** ConnectTimeoutError is thrown by the wait helpers when the condition did not hold in time. */
export class ConnectTimeoutError extends Error {
  override readonly name = 'ConnectTimeoutError';

  constructor(
    message: string,
    /** last is the last observed status or health, to say where it got stuck. */
    readonly last: unknown,
  ) {
    super(message);
  }
}
