// Test support: a real grpc-js server of the generated UserService on 127.0.0.1, with handlers written by the test.
// Used by the client, breaker and selector specs; not part of the public surface.
import { user } from '@blog/proto';
import { Metadata, Server, ServerCredentials, type ServiceError, status } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

type Method = keyof user.UserServiceServer;
type Handler<Req, Res> = (request: Req, metadata: Metadata) => Promise<Res>;

/** UserHandlers are the test's implementations; a missing one answers UNIMPLEMENTED. */
export interface UserHandlers {
  getUser?: Handler<user.GetUserRequest, user.GetUserResponse>;
  updateUser?: Handler<user.UpdateUserRequest, user.UpdateUserResponse>;
}

/** TestUserServer is one running server and what it saw. */
export interface TestUserServer {
  readonly address: string;
  readonly port: number;
  /** calls counts the requests that reached each handler. */
  readonly calls: Record<Method, number>;
  /** metadata of the last request. */
  lastMetadata?: Metadata;
  readonly health: HealthImplementation;
  stop(): Promise<void>;
}

/** grpcError is what a handler throws to answer with a status. */
export function grpcError(code: status, details = status[code]): ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new Metadata() });
}

/** startUserServer binds host:port (port 0: ephemeral) and serves `handlers` plus grpc.health.v1. */
export async function startUserServer(
  handlers: UserHandlers,
  host = '127.0.0.1',
  port = 0,
): Promise<TestUserServer> {
  const server = new Server();
  const health = new HealthImplementation({ '': 'SERVING' });
  health.addToServer(server);
  const calls: Record<Method, number> = { getUser: 0, updateUser: 0 };
  const state: { lastMetadata?: Metadata } = {};
  const serve =
    <Req, Res>(name: Method, handler?: Handler<Req, Res>) =>
    (call: { request: Req; metadata: Metadata }, callback: (err: ServiceError | null, res?: Res) => void) => {
      calls[name]++;
      state.lastMetadata = call.metadata;
      if (!handler) return callback(grpcError(status.UNIMPLEMENTED));
      handler(call.request, call.metadata).then(
        (response) => callback(null, response),
        (err: ServiceError) => callback(err),
      );
    };
  server.addService(user.UserServiceService, {
    getUser: serve('getUser', handlers.getUser),
    updateUser: serve('updateUser', handlers.updateUser),
  });
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    address: `${host}:${bound}`,
    port: bound,
    calls,
    get lastMetadata() {
      return state.lastMetadata;
    },
    health,
    // forceShutdown: in-flight slow handlers must not hold a test up.
    stop: async () => server.forceShutdown(),
  };
}

/** profile is the canned answer of a GetUser handler. */
export function profile(userId: string): user.GetUserResponse {
  return { user: { userId, nickname: `nick-${userId}`, bio: '', createdAt: undefined } };
}

/** recordingLogger is a pino logger whose lines the test can read. */
export function recordingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}
