// createService under mTLS, from files as every deployment hands them over (TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE):
// the start refuses a missing or wrong certificate naming the variable; a running service refuses callers without a
// certificate or without a rule, opens health to any identity of the CA, and honours actor_id from the gateway only.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevCa, issueCertificate, type DevCa } from '@blog/dev-certs';
import { blog } from '@blog/proto';
import { credentials, status, type ChannelCredentials } from '@grpc/grpc-js';
import { fakeBlog } from './fake-blog.testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseConfig, ConfigError } from '../config';
import { GrpcHealth } from '../health';
import { bindServer, createGrpcServer, unimplemented } from '../server';
import { createLogger } from '../telemetry';
import { Registry } from 'prom-client';
import { address, call, checkHealth, healthClient, LogSink } from '../server/testing/clients';
import { createService, type ServiceHandle } from '../service';
import { grpcSecurity, type SecurityConfig } from './security';
import { ACCESS_DENIED_METRIC, clientCredentials, spiffeId } from './index';

const dir = mkdtempSync(join(tmpdir(), 'mtls-'));
let ca: DevCa;
let service: ServiceHandle;
let sink: LogSink;
const closers: (() => void)[] = [];

type Files = { TLS_CA_FILE: string; TLS_CERT_FILE: string; TLS_KEY_FILE: string };

/** issue writes `name`'s certificate (signed by `authority`) as a deployment mounts it, and returns its variables. */
async function issue(name: string, authority: DevCa = ca, folder = name): Promise<Files> {
  const leaf = await issueCertificate(authority, { uri: spiffeId(name), ips: ['127.0.0.1'] });
  const at = join(dir, folder);
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, 'ca.crt'), ca.certPem);
  writeFileSync(join(at, 'tls.crt'), leaf.certPem);
  writeFileSync(join(at, 'tls.key'), leaf.keyPem);
  return {
    TLS_CA_FILE: join(at, 'ca.crt'),
    TLS_CERT_FILE: join(at, 'tls.crt'),
    TLS_KEY_FILE: join(at, 'tls.key'),
  };
}

const config = (files: Partial<Files>, more: Partial<SecurityConfig> = {}): SecurityConfig => ({
  NODE_ENV: 'test',
  GRPC_INSECURE: false,
  ...files,
  ...more,
});

/** clientOf: the credentials `name` would use, from its files, expecting to reach `blog`. */
const clientOf = (files: Files, name: string, expect = 'blog'): ChannelCredentials =>
  grpcSecurity(name, config(files), undefined, { follow: false }).clientCredentials(expect);

function blogClient(creds: ChannelCredentials): InstanceType<typeof blog.BlogServiceClient> {
  const client = new blog.BlogServiceClient(address(service.ports.grpc), creds);
  closers.push(() => client.close());
  return client;
}

const getBlog = (creds: ChannelCredentials) => {
  const client = blogClient(creds);
  return call(client, client.getBlog, { blogId: 'b1' }, { deadlineMs: 5_000 });
};

beforeAll(async () => {
  ca = await createDevCa();
  sink = new LogSink();
  service = await createService({
    name: 'blog',
    version: '0.0.0',
    config: baseConfig({ grpcPort: 0, adminPort: 0 }),
    env: { GRPC_HOST: '127.0.0.1', LOG_LEVEL: 'debug', ...(await issue('blog')) },
    logDestination: sink,
    access: { rules: { '*': ['api-gateway'] }, actorFrom: ['api-gateway'] },
    services: [
      {
        definition: blog.BlogServiceService,
        implementation: fakeBlog(),
      },
    ],
  });
}, 30_000);

afterAll(async () => {
  for (const close of closers.splice(0)) close();
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the start', () => {
  it('names every missing TLS variable', () => {
    expect(() => grpcSecurity('blog', config({}))).toThrow(ConfigError);
    try {
      grpcSecurity('blog', config({ TLS_CA_FILE: '/x' }));
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
        'TLS_CERT_FILE',
        'TLS_KEY_FILE',
      ]);
    }
  });

  it('names the variable of an unreadable file', async () => {
    const files = await issue('blog', ca, 'unreadable');
    expect(() => grpcSecurity('blog', config({ ...files, TLS_KEY_FILE: join(dir, 'nope.key') }))).toThrow(
      /TLS_KEY_FILE: cannot read .*nope\.key \(ENOENT\)/,
    );
  });

  it("refuses another workload's certificate, one from another CA, and a key that is not the certificate's", async () => {
    const user = await issue('user');
    expect(() => grpcSecurity('blog', config(user))).toThrow(
      /TLS_CERT_FILE: is the certificate of user, not of blog/,
    );
    const stranger = await issue('blog', await createDevCa(), 'stranger');
    expect(() => grpcSecurity('blog', config(stranger))).toThrow(/TLS_CERT_FILE: is not signed by the CA/);
    const blogFiles = await issue('blog', ca, 'blog-2');
    expect(() => grpcSecurity('blog', config({ ...blogFiles, TLS_KEY_FILE: user.TLS_KEY_FILE }))).toThrow(
      /TLS_KEY_FILE: is not the key of the certificate/,
    );
  });

  it('allows plain TCP only when asked, and never in production', () => {
    expect(grpcSecurity('blog', config({}, { GRPC_INSECURE: true })).mode).toBe('insecure');
    expect(() => grpcSecurity('blog', config({}, { GRPC_INSECURE: true, NODE_ENV: 'production' }))).toThrow(
      /GRPC_INSECURE: must not be true in production/,
    );
  });

  it('stops createService before it binds, naming the variable', async () => {
    await expect(
      createService({
        name: 'blog',
        version: '0.0.0',
        config: baseConfig({ grpcPort: 0, adminPort: 0 }),
        env: { GRPC_HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
        logDestination: new LogSink(),
      }),
    ).rejects.toThrow(/TLS_CA_FILE: is required/);
  });
});

describe('a service under mTLS', () => {
  it('answers the gateway', async () => {
    const gateway = clientOf(await issue('api-gateway'), 'api-gateway');
    const { response, error } = await getBlog(gateway);
    expect(error).toBeUndefined();
    expect(response?.blog?.blogId).toBe('b1');
  });

  it('answers a gateway whose credentials follow its files (the long-running kind)', async () => {
    const following = grpcSecurity(
      'api-gateway',
      config(await issue('api-gateway', ca, 'gateway-following')),
    );
    const { response, error } = await getBlog(following.clientCredentials('blog'));
    expect(error).toBeUndefined();
    expect(response?.blog?.blogId).toBe('b1');
  });

  it('answers the first call made the moment the start resolves (its certificate files are read by then)', async () => {
    const gateway = clientOf(await issue('api-gateway', ca, 'gateway-fresh'), 'api-gateway');
    const fresh = await createService({
      name: 'blog',
      version: '0.0.0',
      config: baseConfig({ grpcPort: 0, adminPort: 0 }),
      env: { GRPC_HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...(await issue('blog', ca, 'blog-fresh')) },
      logDestination: new LogSink(),
      access: { rules: { '*': ['api-gateway'] }, actorFrom: [] },
      services: [
        {
          definition: blog.BlogServiceService,
          implementation: {
            ...unimplemented(blog.BlogServiceService),
            getBlog: (req) => ({ blog: blog.Blog.fromPartial({ blogId: req.blogId }) }),
          },
        },
      ],
    });
    try {
      const client = new blog.BlogServiceClient(address(fresh.ports.grpc), gateway);
      closers.push(() => client.close());
      const { error } = await call(client, client.getBlog, { blogId: 'b2' }, { deadlineMs: 5_000 });
      expect(error).toBeUndefined();
    } finally {
      await fresh.stop();
    }
  });

  it('refuses a client without a certificate at the handshake', async () => {
    const anonymous = credentials.createSsl(Buffer.from(ca.certPem), null, null, {
      checkServerIdentity: () => undefined,
    });
    expect((await getBlog(anonymous)).error?.code).toBe(status.UNAVAILABLE);
    expect((await getBlog(credentials.createInsecure())).error?.code).toBe(status.UNAVAILABLE);
  });

  it('answers PERMISSION_DENIED to an identity no rule names, logged and counted', async () => {
    const post = clientOf(await issue('post'), 'post');
    expect((await getBlog(post)).error?.code).toBe(status.PERMISSION_DENIED);
    const metric = await service.metrics.getSingleMetricAsString(ACCESS_DENIED_METRIC);
    const line = metric
      .split('\n')
      .find((l) => l.includes('caller="post"') && l.includes('grpc_method="GetBlog"'));
    expect(line?.endsWith(' 1')).toBe(true);
    expect(
      sink.lines.some(
        (l) => l['msg'] === 'call refused by the access policy' && l['caller'] === spiffeId('post'),
      ),
    ).toBe(true);
  });

  it('lets any identity of the CA ask for its health', async () => {
    const health = healthClient(service.ports.grpc, clientOf(await issue('post', ca, 'post-2'), 'post'));
    closers.push(() => health.close());
    expect(await checkHealth(health, '')).toBe('SERVING');
  });
});

describe('rotation', () => {
  it('a running server takes a new CA and certificate from its files, without a restart', async () => {
    const files = await issue('user', ca, 'rotating-user');
    const security = grpcSecurity('user', config(files), undefined, { refreshMs: 100 });
    const server = createGrpcServer({
      logger: createLogger({ service: 'user', version: '0', level: 'silent' }),
      metrics: new Registry(),
      maxDeadlineMs: 5_000,
    });
    const health = new GrpcHealth(['']);
    health.addToServer(server);
    health.setServing(true);
    const port = await bindServer(server, '127.0.0.1', 0, security.serverCredentials());
    try {
      const gatewayFiles = await issue('api-gateway', ca, 'rotating-gateway');
      const before = healthClient(port, clientOf(gatewayFiles, 'api-gateway', 'user'));
      closers.push(() => before.close());
      expect(await checkHealth(before, '')).toBe('SERVING');

      // A new CA: the server's files get a certificate from it and a bundle trusting both, as the stack writes them.
      const next = await createDevCa();
      const leaf = await issueCertificate(next, { uri: spiffeId('user'), ips: ['127.0.0.1'] });
      writeFileSync(files.TLS_CA_FILE, next.certPem + ca.certPem);
      writeFileSync(files.TLS_CERT_FILE, leaf.certPem);
      writeFileSync(files.TLS_KEY_FILE, leaf.keyPem);
      const newGateway = await issueCertificate(next, { uri: spiffeId('api-gateway'), ips: ['127.0.0.1'] });
      const newCreds = clientCredentials(
        {
          ca: Buffer.from(next.certPem),
          cert: Buffer.from(newGateway.certPem),
          key: Buffer.from(newGateway.keyPem),
        },
        'user',
      );
      // Within a few refreshes a client holding only the new CA is served: the server presents the new certificate
      // and trusts the new CA's clients.
      let answer: string | undefined;
      for (let i = 0; i < 50 && answer !== 'SERVING'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const after = healthClient(port, newCreds);
        answer = await checkHealth(after, '').catch(() => undefined);
        after.close();
      }
      expect(answer).toBe('SERVING');
    } finally {
      server.forceShutdown();
    }
  });
});
