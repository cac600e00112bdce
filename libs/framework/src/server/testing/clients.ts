// Test support for the server, service and telemetry specs: promise-returning calls over real grpc-js clients,
// a health client, a reflection client and a log sink. Not exported from the package.
import {
  credentials,
  loadPackageDefinition,
  makeGenericClientConstructor,
  Metadata,
  type ChannelCredentials,
  type Client,
  type ServiceError,
  type StatusObject,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import { dirname, join } from 'node:path';

/** CallResult is a finished unary call: the response or the error, plus the trailers. */
export interface CallResult<Res> {
  readonly response?: Res;
  readonly error?: ServiceError;
  readonly trailers?: Metadata;
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: { deadline?: Date },
  callback: (error: ServiceError | null, response: Res) => void,
) => { on(event: 'status', listener: (status: StatusObject) => void): unknown };

/** call makes a unary call and resolves with its outcome (it never rejects). */
export function call<Req, Res>(
  client: Client,
  method: UnaryMethod<Req, Res>,
  request: Req,
  options: { metadata?: Metadata; deadlineMs?: number } = {},
): Promise<CallResult<Res>> {
  return new Promise((resolve) => {
    let outcome: { response?: Res; error?: ServiceError } | undefined;
    let trailers: Metadata | undefined;
    const settle = (): void => {
      if (outcome && trailers) resolve({ ...outcome, trailers });
    };
    const deadline = options.deadlineMs === undefined ? undefined : new Date(Date.now() + options.deadlineMs);
    const pending = method.call(
      client,
      request,
      options.metadata ?? new Metadata(),
      deadline ? { deadline } : {},
      (error, response) => {
        outcome = error ? { error } : { response };
        if (error) trailers ??= error.metadata;
        settle();
      },
    );
    pending.on('status', (status) => {
      trailers = status.metadata;
      settle();
    });
  });
}

/** failure returns the error of a call that must have failed. */
export function failure(result: CallResult<unknown>): ServiceError {
  if (!result.error) throw new Error('expected the call to fail');
  return result.error;
}

/** address formats a local port for a client. */
export function address(port: number): string {
  return `127.0.0.1:${port}`;
}

/** HealthClient is a grpc.health.v1 client. */
export type HealthClient = Client & {
  check(
    request: { service: string },
    callback: (error: ServiceError | null, response: { status: string }) => void,
  ): unknown;
  watch(request: { service: string }): NodeJS.EventEmitter & { cancel(): void };
};

/** healthClient connects a grpc.health.v1 client to a local port (plain TCP unless credentials are given). */
export function healthClient(
  port: number,
  channelCredentials: ChannelCredentials = credentials.createInsecure(),
): HealthClient {
  const Ctor = makeGenericClientConstructor(healthService as never, 'grpc.health.v1.Health');
  return new Ctor(address(port), channelCredentials) as unknown as HealthClient;
}

/** checkHealth resolves with the status of service ("" for the server) or the error. */
export function checkHealth(client: HealthClient, service: string): Promise<string> {
  return new Promise((resolve, reject) =>
    client.check({ service }, (error, response) => (error ? reject(error) : resolve(response.status))),
  );
}

/** ReflectionResponse is the part of a grpc.reflection.v1 answer the tests read. */
export interface ReflectionResponse {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  errorResponse?: { errorCode: number; errorMessage: string };
}

/** reflect sends one grpc.reflection.v1 request to a local port and resolves with the first answer. */
export function reflect(port: number, request: Record<string, string>): Promise<ReflectionResponse> {
  const reflectionProto = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build/proto');
  const definition = loadSync('grpc/reflection/v1/reflection.proto', { includeDirs: [reflectionProto] });
  const grpc = loadPackageDefinition(definition) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: new (address: string, creds: unknown) => Client } } };
  };
  const client = new grpc.grpc.reflection.v1.ServerReflection(
    address(port),
    credentials.createInsecure(),
  ) as Client & {
    serverReflectionInfo(): NodeJS.EventEmitter & { write(message: unknown): void; end(): void };
  };
  return new Promise((resolve, reject) => {
    const stream = client.serverReflectionInfo();
    stream.on('data', (message: ReflectionResponse) => {
      resolve(message);
      stream.end();
    });
    stream.on('error', (error) => reject(error));
    stream.on('end', () => client.close());
    stream.write(request);
  });
}

/** listServices asks server reflection for the names of the services on a local port. */
export async function listServices(port: number): Promise<string[]> {
  const answer = await reflect(port, { listServices: '' });
  return (answer.listServicesResponse?.service ?? []).map((s) => s.name).sort();
}

/** Deferred is a promise with its resolve function outside. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

/** deferred returns a new Deferred. */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** LogSink collects pino's JSON lines (pass it as a logger destination). */
export class LogSink {
  readonly lines: Record<string, unknown>[] = [];
  write(line: string): void {
    this.lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  /** find returns the lines whose msg equals message. */
  find(message: string): Record<string, unknown>[] {
    return this.lines.filter((line) => line['msg'] === message);
  }
}
