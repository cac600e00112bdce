// The process controller fault tests use: stop, SIGKILL and start one app, stop and start the Kafka broker and
// the Kafka Connect worker. The global setup owns the processes (local stack or Docker Compose) and serves this
// interface over HTTP on 127.0.0.1 (control-server.ts), because test files run in worker processes.

/** AppName names one of the seven apps. */
export type AppName = 'auth' | 'user' | 'blog' | 'post' | 'visitor' | 'subscribe' | 'api-gateway';

/** appNames lists the apps in start order (the gateway calls the others, so it comes last). */
export const appNames: readonly AppName[] = [
  'auth',
  'user',
  'blog',
  'post',
  'visitor',
  'subscribe',
  'api-gateway',
];

/** ControlResult says what an action did and how long it took. */
export interface ControlResult {
  outcome: string;
  ms: number;
  /** url of a started gateway replica. */
  url?: string;
  /** adminUrls of every service instance (`user`, `user.2`, ...) after startServiceReplicas. */
  adminUrls?: Record<string, string>;
}

/** ProcessControl controls the processes of a running system. */
export interface ProcessControl {
  /** stopApp stops an app gracefully (SIGTERM, SIGKILL after its shutdown timeout). */
  stopApp(app: AppName): Promise<ControlResult>;
  /** killApp SIGKILLs an app's whole process group: no shutdown hook runs. */
  killApp(app: AppName): Promise<ControlResult>;
  /** startApp starts a stopped app and resolves once its admin /readyz answers 200. */
  startApp(app: AppName): Promise<ControlResult>;
  /** stopKafka stops the Kafka broker. */
  stopKafka(): Promise<ControlResult>;
  /** startKafka starts the broker and resolves once it answers metadata requests. */
  startKafka(): Promise<ControlResult>;
  /** stopConnect stops the Kafka Connect worker. */
  stopConnect(): Promise<ControlResult>;
  /** startConnect starts the worker and resolves once the outbox connector and its task are RUNNING. */
  startConnect(): Promise<ControlResult>;
  /**
   * startGatewayReplica starts a second gateway beside the first (its REST URL in `url`) whose account status cache
   * trusts an ACTIVE answer for 10 minutes: a replica that has not heard of a deletion yet, made deterministic.
   */
  startGatewayReplica(): Promise<ControlResult>;
  /** stopGatewayReplica stops that replica. */
  stopGatewayReplica(): Promise<ControlResult>;
  /**
   * startServiceReplicas starts a second instance of each of the six services (`npm start -- --replicas 2`'s ports)
   * and restarts the gateway so that its registry lists both instances of each; the REST URL stays the same.
   * killApp, stopApp and startApp keep acting on the first instance.
   */
  startServiceReplicas(): Promise<ControlResult>;
  /** stopServiceReplicas goes back to one instance each: the gateway first, then the second instances stop. */
  stopServiceReplicas(): Promise<ControlResult>;
}

/** ControlVerb is one ProcessControl method as the control server routes it. */
export type ControlVerb = keyof ProcessControl;

/** controlVerbs lists the methods of ProcessControl (for the server's routing and the client). */
export const controlVerbs: readonly ControlVerb[] = [
  'stopApp',
  'killApp',
  'startApp',
  'stopKafka',
  'startKafka',
  'stopConnect',
  'startConnect',
  'startGatewayReplica',
  'stopGatewayReplica',
  'startServiceReplicas',
  'stopServiceReplicas',
];
