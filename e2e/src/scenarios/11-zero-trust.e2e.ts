// Zero trust between the running services (local mode: the stack's development certificates). Every other scenario
// proves the gateway's calls pass under mTLS; this one proves what is refused: a caller without a certificate, a
// service calling another service it is not allowed to call, and a forged actor_id from an identity that is not the
// gateway. The refusals are counted on the callee's /metrics.
import { randomUUID } from 'node:crypto';
import {
  createClient,
  createLogger,
  grpcSecurity,
  serviceAddrVariable,
  StaticRegistry,
  type ServiceClient,
} from '@blog/framework';
import { blog } from '@blog/proto';
import { afterAll, expect, it } from 'vitest';
import { scenario, suite } from '../support/suite';
import { stackInfo, tlsEnvIn } from '../support/tooling';

const { ctx } = suite();
const PERMISSION_DENIED = 7;
const UNAVAILABLE = 14;
const NOT_FOUND = 5;
const logger = createLogger({ service: 'e2e', version: '0.0.0', level: 'silent' });
const clients: { close(): void }[] = [];

/** blogClientAs calls the blog service with workload `identity`'s certificate (undefined: plain TCP). */
function blogClientAs(identity: string | undefined): ServiceClient<typeof blog.BlogServiceService> {
  const grpcPort = ctx.appPorts?.['blog']?.[0];
  expect(grpcPort, 'the blog service gRPC port').toBeDefined();
  const security = grpcSecurity(
    identity ?? 'e2e',
    identity === undefined
      ? { NODE_ENV: 'test', GRPC_INSECURE: true }
      : { NODE_ENV: 'test', GRPC_INSECURE: false, ...tlsEnvIn(stackInfo().certsDir, identity) },
    undefined,
    { follow: false },
  );
  const client = createClient(blog.BlogServiceService, {
    service: 'blog',
    registry: new StaticRegistry({ [serviceAddrVariable('blog')]: `127.0.0.1:${grpcPort}` }),
    logger,
    credentials: security.clientCredentials('blog'),
    // One attempt each, and no breaker trips that would hide the server's own answer.
    breaker: { volumeThreshold: 1000 },
  });
  clients.push(client);
  return client;
}

/** deniedCount reads blog's grpc_server_access_denied_total for a caller and method. */
async function deniedCount(caller: string, method: string): Promise<number> {
  const adminPort = ctx.appPorts?.['blog']?.[1];
  const text = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('grpc_server_access_denied_total{') &&
        l.includes(`caller="${caller}"`) &&
        l.includes(`grpc_method="${method}"`),
    );
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

const codeOf = (call: Promise<unknown>) =>
  call.then(
    () => 'answered',
    (error: { code?: number }) => error.code,
  );

scenario('zero trust between services', ['local'], () => {
  afterAll(() => {
    for (const client of clients.splice(0)) client.close();
  });

  it('refuses a caller without a certificate at the handshake', async () => {
    expect(await codeOf(blogClientAs(undefined).getBlog({ blogId: randomUUID() }))).toBe(UNAVAILABLE);
  });

  it('answers PERMISSION_DENIED to a service the catalog does not list among its callers, and counts it', async () => {
    const before = await deniedCount('user', 'GetBlog');
    expect(await codeOf(blogClientAs('user').getBlog({ blogId: randomUUID() }))).toBe(PERMISSION_DENIED);
    expect(await deniedCount('user', 'GetBlog')).toBe(before + 1);
  });

  it("refuses a forged actor_id from an identity that is not the gateway's, and answers the gateway", async () => {
    const request = { blogId: randomUUID(), actorId: randomUUID(), title: 'forged' };
    const before = await deniedCount('blog-tools', 'UpdateBlog');
    // The blog does not exist, so a PERMISSION_DENIED here is the access rule's, not the owner check's.
    expect(await codeOf(blogClientAs('blog-tools').updateBlog(request))).toBe(PERMISSION_DENIED);
    expect(await deniedCount('blog-tools', 'UpdateBlog')).toBe(before + 1);
    // The tools may read (no actor), and the gateway may act for a user: the blog is unknown, not refused.
    expect(await codeOf(blogClientAs('blog-tools').getBlog({ blogId: request.blogId }))).toBe(NOT_FOUND);
    expect(await codeOf(blogClientAs('api-gateway').updateBlog(request))).toBe(NOT_FOUND);
  });
});
