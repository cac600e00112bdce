// mTLS and access rules over real gRPC: certificates from the development CA, a user service that only the gateway
// may call (GetUser) and a blog service whose actor_id only the gateway may set.
import { createDevCa, issueCertificate, type DevCa } from '@blog/dev-certs';
import { blog, user } from '@blog/proto';
import { credentials, status, type ChannelCredentials, type Client, type Server } from '@grpc/grpc-js';
import { Registry } from 'prom-client';
import { fakeBlog } from './fake-blog.testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../telemetry';
import { addService, bindServer, createGrpcServer, unimplemented } from '../server';
import { address, call, LogSink } from '../server/testing/clients';
import {
  ACCESS_DENIED_METRIC,
  accessInterceptor,
  clientCredentials,
  serverCredentials,
  spiffeId,
  type AccessPolicy,
  type TlsMaterial,
} from './index';

let ca: DevCa;
const material = new Map<string, TlsMaterial>();
const stops: (() => void)[] = [];

async function identity(name: string, authority: DevCa = ca): Promise<TlsMaterial> {
  const issued = await issueCertificate(authority, { uri: spiffeId(name), ips: ['127.0.0.1'] });
  return { ca: Buffer.from(ca.certPem), cert: Buffer.from(issued.certPem), key: Buffer.from(issued.keyPem) };
}

function tlsOf(name: string): TlsMaterial {
  const found = material.get(name);
  if (!found) throw new Error(`no certificate issued for ${name}`);
  return found;
}

interface Served {
  readonly port: number;
  readonly sink: LogSink;
  readonly metrics: Registry;
}

async function serve(
  name: string,
  policy: AccessPolicy,
  add: (server: Server, logger: ReturnType<typeof createLogger>) => void,
): Promise<Served> {
  const sink = new LogSink();
  const logger = createLogger({ service: name, version: '0.0.0', level: 'debug', destination: sink });
  const metrics = new Registry();
  const server = createGrpcServer({
    logger,
    metrics,
    maxDeadlineMs: 10_000,
    extra: [accessInterceptor({ policy, logger, metrics })],
  });
  add(server, logger);
  const port = await bindServer(server, '127.0.0.1', 0, serverCredentials(tlsOf(name)));
  stops.push(() => server.forceShutdown());
  return { port, sink, metrics };
}

const userPolicy: AccessPolicy = { rules: { GetUser: ['api-gateway'] }, actorFrom: ['api-gateway'] };
const blogPolicy: AccessPolicy = { rules: { '*': ['api-gateway', 'subscribe'] }, actorFrom: ['api-gateway'] };
let userServer: Served;
let blogServer: Served;

function userClient(
  creds: ChannelCredentials,
  port = userServer.port,
): InstanceType<typeof user.UserServiceClient> {
  const client = new user.UserServiceClient(address(port), creds);
  stops.push(() => client.close());
  return client;
}

function blogClient(creds: ChannelCredentials): InstanceType<typeof blog.BlogServiceClient> {
  const client = new blog.BlogServiceClient(address(blogServer.port), creds);
  stops.push(() => client.close());
  return client;
}

const getUser = (client: InstanceType<typeof user.UserServiceClient>) =>
  call(client as Client & typeof client, client.getUser, { userId: 'u1' }, { deadlineMs: 5_000 });

const deniedCount = async (served: Served, caller: string, method: string): Promise<number> => {
  const metric = (await served.metrics.getSingleMetricAsString(ACCESS_DENIED_METRIC)).split('\n');
  const line = metric.find((l) => l.includes(`caller="${caller}"`) && l.includes(`grpc_method="${method}"`));
  return line ? Number(line.split(' ').pop()) : 0;
};

beforeAll(async () => {
  ca = await createDevCa();
  for (const name of ['api-gateway', 'user', 'blog', 'post', 'subscribe'])
    material.set(name, await identity(name));
  userServer = await serve('user', userPolicy, (server, logger) =>
    addService(
      server,
      {
        definition: user.UserServiceService,
        implementation: {
          ...unimplemented(user.UserServiceService),
          getUser: (req) => ({
            user: { userId: req.userId, nickname: 'ada', bio: '', createdAt: undefined },
          }),
        },
      },
      logger,
    ),
  );
  blogServer = await serve('blog', blogPolicy, (server, logger) =>
    addService(
      server,
      {
        definition: blog.BlogServiceService,
        implementation: fakeBlog(),
      },
      logger,
    ),
  );
}, 30_000);

afterAll(() => {
  for (const stop of stops.splice(0)) stop();
});

describe('mTLS', () => {
  it('lets the gateway call the method its policy names', async () => {
    const { response, error } = await getUser(userClient(clientCredentials(tlsOf('api-gateway'), 'user')));
    expect(error).toBeUndefined();
    expect(response?.user?.nickname).toBe('ada');
  });

  it('refuses a client without a certificate at the handshake', async () => {
    const { error } = await getUser(userClient(credentials.createSsl(Buffer.from(ca.certPem))));
    expect(error?.code).toBe(status.UNAVAILABLE);
  });

  it('refuses a plaintext client', async () => {
    const { error } = await getUser(userClient(credentials.createInsecure()));
    expect(error?.code).toBe(status.UNAVAILABLE);
  });

  it("refuses a self-signed certificate that claims the gateway's identity", async () => {
    const other = await createDevCa({ commonName: 'somebody else' });
    const forged = await issueCertificate(other, { uri: spiffeId('api-gateway'), ips: ['127.0.0.1'] });
    const creds = credentials.createSsl(
      Buffer.from(ca.certPem),
      Buffer.from(forged.keyPem),
      Buffer.from(forged.certPem),
      { checkServerIdentity: () => undefined },
    );
    const { error } = await getUser(userClient(creds));
    expect(error?.code).toBe(status.UNAVAILABLE);
  });

  it('refuses, on the client, a server that is not the service it meant to call', async () => {
    const { error } = await getUser(
      userClient(clientCredentials(tlsOf('api-gateway'), 'auth'), userServer.port),
    );
    expect(error?.code).toBe(status.UNAVAILABLE);
    expect(error?.details).toMatch(/not auth|user/);
  });
});

describe('access rules', () => {
  it('answers PERMISSION_DENIED to another service, logs and counts it', async () => {
    const { error } = await getUser(userClient(clientCredentials(tlsOf('post'), 'user')));
    expect(error?.code).toBe(status.PERMISSION_DENIED);
    expect(error?.details).toBe('permission denied: post may not call GetUser');
    expect(await deniedCount(userServer, 'post', 'GetUser')).toBe(1);
    expect(userServer.sink.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        caller: spiffeId('post'),
        msg: 'call refused by the access policy',
      }),
    );
  });

  it('refuses a method no rule names, even to the gateway', async () => {
    const client = userClient(clientCredentials(tlsOf('api-gateway'), 'user'));
    const { error } = await call(client as Client & typeof client, client.updateUser, { userId: 'u1' });
    expect(error?.code).toBe(status.PERMISSION_DENIED);
  });

  it('honours actor_id only from the gateway', async () => {
    const fromGateway = blogClient(clientCredentials(tlsOf('api-gateway'), 'blog'));
    const ok = await call(fromGateway as Client & typeof fromGateway, fromGateway.updateBlog, {
      blogId: 'b1',
      actorId: 'u1',
    });
    expect(ok.error).toBeUndefined();
    expect(ok.response?.blog?.ownerId).toBe('u1');

    const fromSubscribe = blogClient(clientCredentials(tlsOf('subscribe'), 'blog'));
    const forged = await call(fromSubscribe as Client & typeof fromSubscribe, fromSubscribe.updateBlog, {
      blogId: 'b1',
      actorId: 'u1',
    });
    expect(forged.error?.code).toBe(status.PERMISSION_DENIED);
    expect(forged.error?.details).toMatch(/subscribe may not act for a user/);
    // The same caller without an actor is within its rules.
    const plain = await call(fromSubscribe as Client & typeof fromSubscribe, fromSubscribe.getBlog, {
      blogId: 'b1',
    });
    expect(plain.error).toBeUndefined();
  });
});
