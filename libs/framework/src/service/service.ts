// Service contract: what createService takes (name, config schema, handlers, components) and what it returns.
import type { AccessPolicy } from '../auth';
import type { ServerInterceptor } from '@grpc/grpc-js';
import type { DestinationStream } from 'pino';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import type { BaseConfig, Env, LiveConfig, ProcessConfig } from '../config';
import type { ReadinessCheck } from '../health';
import type { ServiceBinding } from '../server';
import type { Logger } from '../telemetry';

/**
 * Component is a part with a lifecycle that the service starts before it takes calls and stops after it has
 * drained them: a database pool, a broker connection, event consumers, clients. Components start in list order
 * and stop in reverse order; one with ready() is part of /readyz.
 */
export interface Component {
  readonly name: string;
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
  ready?(): Promise<boolean> | boolean;
}

/** ServiceContext is what setup() gets to build handlers and components from. */
export interface ServiceContext<C extends ProcessConfig> {
  readonly name: string;
  readonly version: string;
  /** config is the config at start; `live` follows CONFIG_FILE for the variables that reload. */
  readonly config: C;
  /** live is the config in force now: subscribe with live.onChange to apply a reloadable variable. */
  readonly live: LiveConfig<C>;
  readonly logger: Logger;
  readonly metrics: Registry;
}

/** ServiceParts are what setup() returns. */
export interface ServiceParts {
  readonly services?: readonly ServiceBinding[];
  readonly components?: readonly Component[];
  readonly readiness?: readonly ReadinessCheck[];
}

/** ServiceOptions configure createService. */
export interface ServiceOptions<C extends BaseConfig> {
  /** name is the service name on logs, metrics and traces, e.g. "user". */
  readonly name: string;
  readonly version: string;
  /** config is the schema of the environment: baseConfig(defaults), extended with the service's variables. */
  readonly config: z.ZodType<C>;
  /** services are gRPC services known up front; setup() can add more. */
  readonly services?: readonly ServiceBinding[];
  /** components are started in order before the server takes calls; setup() can add more. */
  readonly components?: readonly Component[];
  /** setup builds what needs the loaded config, logger or metrics (repositories, pools, consumers). */
  readonly setup?: (ctx: ServiceContext<C>) => Promise<ServiceParts> | ServiceParts;
  /** env is read instead of process.env (tests). */
  readonly env?: Env;
  /**
   * reloadable names the service's own variables that may change at runtime through CONFIG_FILE (LOG_LEVEL always
   * may); the service applies them in a live.onChange listener.
   */
  readonly reloadable?: readonly (keyof C & string)[];
  /**
   * access says which identities may call which methods and who may act for a user (actor_id); enforced on every call
   * under mTLS (auth/access.interceptor.ts). Health and reflection are open to every identity of the CA. Without it,
   * any identity of the CA may call any method and no one may act for a user.
   */
  readonly access?: AccessPolicy;
  /** interceptors are the service's own server interceptors, after the standard chain (see server/interceptors). */
  readonly interceptors?: readonly ServerInterceptor[];
  /** logDestination receives the JSON log lines instead of stdout (tests). */
  readonly logDestination?: DestinationStream;
  /** descriptorSetPath is the FileDescriptorSet served by reflection; @blog/proto's by default. */
  readonly descriptorSetPath?: string;
}

/** ServicePorts are the ports actually bound (useful when configured as 0). */
export interface ServicePorts {
  readonly grpc: number;
  readonly admin: number;
}

/** ServiceHandle is a running service. */
export interface ServiceHandle<C extends BaseConfig = BaseConfig> extends ServiceContext<C> {
  readonly ports: ServicePorts;
  /** stop drains and stops the service (see createService); calling it again returns the same promise. */
  stop(): Promise<void>;
}
