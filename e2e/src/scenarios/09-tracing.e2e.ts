// One saga, one trace: the request's trace goes gateway -> gRPC -> outbox row -> Debezium header -> consumer -> next
// outbox row, and every service exports its spans to the stack's Zipkin. Each test starts a saga under a trace id of
// its own (the client's traceparent, which the gateway continues), waits for the saga's end, then reads the trace back
// through Zipkin's HTTP API and checks who is in it, that every parent is in it, and the causal chain of the steps.
// Local mode only: it reads the stack's Zipkin and the apps' log files.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { screenshot } from '../support/browser';
import { eventually } from '../support/eventually';
import { credentials, expectStatus, uniqueNickname } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';
import { loadStackConfig, repoRoot, zipkinEnabled, zipkinUrl } from '../support/tooling';

const { ctx, api, sagas } = suite();
const zipkin = zipkinUrl(loadStackConfig());

/** ZipkinSpan is a span as Zipkin's v2 API returns it. */
interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

const newTrace = () => {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
};
const service = (span: ZipkinSpan) => span.localEndpoint?.serviceName ?? '';

async function readTrace(traceId: string): Promise<ZipkinSpan[]> {
  const response = await fetch(`${zipkin}/api/v2/trace/${traceId}`);
  return response.ok ? ((await response.json()) as ZipkinSpan[]) : [];
}

/** findSpan returns the span of `svc` with `kind` whose name matches (and that handled `eventType`), if any. */
const findSpan = (spans: ZipkinSpan[], svc: string, kind: string, name: RegExp, eventType?: string) =>
  spans.find(
    (s) =>
      service(s) === svc &&
      s.kind === kind &&
      name.test(s.name) &&
      (eventType === undefined || s.tags?.['blog.event.type'] === eventType),
  );

/** awaitTrace waits until Zipkin holds a span matching each of `wanted` (services flush every few seconds). */
async function awaitTrace(traceId: string, wanted: [string, string, RegExp][]): Promise<ZipkinSpan[]> {
  return eventually(
    async () => {
      const spans = await readTrace(traceId);
      for (const [svc, kind, name] of wanted) {
        expect(findSpan(spans, svc, kind, name), `${svc} ${kind} ${name} in trace ${traceId}`).toBeDefined();
      }
      return spans;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
}

/** ancestors lists the spans from `span` up to the root, through parentId. */
function ancestors(spans: ZipkinSpan[], span: ZipkinSpan): ZipkinSpan[] {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const chain: ZipkinSpan[] = [];
  for (let at: ZipkinSpan | undefined = span; at; at = at.parentId ? byId.get(at.parentId) : undefined)
    chain.push(at);
  return chain;
}

/** expectOneConnectedTrace: one root (the gateway's), every other span's parent in the trace. */
function expectOneConnectedTrace(spans: ZipkinSpan[], traceId: string): void {
  expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
  const ids = new Set(spans.map((s) => s.id));
  // The client's traceparent names a parent Zipkin never saw: the gateway's span is the one root.
  const roots = spans.filter((s) => !s.parentId || !ids.has(s.parentId));
  expect(roots.map((s) => `${service(s)} ${s.kind} ${s.name}`)).toEqual([
    expect.stringMatching(/^api-gateway SERVER post /),
  ]);
  // Database and Kafka spans are part of it.
  expect(spans.some((s) => s.kind === 'CLIENT' && s.name.startsWith('pg.query'))).toBe(true);
  expect(spans.some((s) => s.kind === 'CONSUMER' && s.tags?.['messaging.system'] === 'kafka')).toBe(true);
}

/** expectChain: each span descends from the one before it (the saga's steps in causal order). */
function expectChain(spans: ZipkinSpan[], chain: ZipkinSpan[]): void {
  for (let i = 1; i < chain.length; i++) {
    const up = ancestors(spans, chain[i] as ZipkinSpan).map((s) => s.id);
    expect(
      up,
      `${service(chain[i] as ZipkinSpan)} ${chain[i]?.name} descends from ${chain[i - 1]?.name}`,
    ).toContain(chain[i - 1]?.id);
  }
}

/** sagaIdOf reads the saga id that the outbox put on the span writing the saga's first event. */
const sagaIdOf = (span: ZipkinSpan | undefined): string => {
  const sagaId = span?.tags?.['blog.saga.id'];
  expect(sagaId, 'blog.saga.id on the span that wrote the first event').toMatch(/^[0-9a-f-]{36}$/);
  return sagaId as string;
};

scenario('one saga, one trace (Zipkin)', ['local'], () => {
  it('has the stack running Zipkin', async () => {
    expect(zipkinEnabled(), 'STACK_ZIPKIN=0: this scenario needs the trace viewer').toBe(true);
    expect((await fetch(`${zipkin}/health`)).status).toBe(200);
  });

  it('traces a sign-up across gateway, auth, user, blog and auth again, as one trace', async () => {
    const { traceId, traceparent } = newTrace();
    const who = credentials(uniqueNickname('Tr'));
    const started = await api.post('/v1/accounts', who, { headers: { traceparent } });
    expectStatus(started, 202);
    const account = await sagas.awaitAccount({
      body: started.body as { accountId: string },
      acceptedAt: Date.now(),
    });
    expect(account.status).toBe('ACTIVE');

    const spans = await awaitTrace(traceId, [
      ['api-gateway', 'SERVER', /^post \/v1\/accounts$/i],
      ['auth', 'SERVER', /createaccount$/i],
      ['user', 'CONSUMER', /^events\.auth\.account process$/],
      ['blog', 'CONSUMER', /^events\.user\.profile process$/],
      ['auth', 'CONSUMER', /^events\.blog\.blog process$/],
    ]);
    expectOneConnectedTrace(spans, traceId);
    const step = (svc: string, kind: string, name: RegExp, eventType?: string) =>
      findSpan(spans, svc, kind, name, eventType) as ZipkinSpan;
    expectChain(spans, [
      step('api-gateway', 'SERVER', /^post \/v1\/accounts$/i),
      step('api-gateway', 'CLIENT', /createaccount$/i),
      step('auth', 'SERVER', /createaccount$/i),
      step('user', 'CONSUMER', /process$/, 'AccountCreated'),
      step('blog', 'CONSUMER', /process$/, 'UserCreated'),
      step('auth', 'CONSUMER', /process$/, 'BlogCreated'),
    ]);
    // Each step's database work hangs under its own span: the user's profile insert under its consumer span.
    const userConsumer = step('user', 'CONSUMER', /process$/, 'AccountCreated');
    expect(
      spans.some(
        (s) => service(s) === 'user' && s.name.startsWith('pg.query') && s.parentId === userConsumer.id,
      ),
    ).toBe(true);

    // The saga id finds the same, single trace (what the README tells a reader to search for).
    const sagaId = sagaIdOf(step('auth', 'SERVER', /createaccount$/i));
    const bySaga = (await (
      await fetch(
        `${zipkin}/api/v2/traces?annotationQuery=${encodeURIComponent(`blog.saga.id=${sagaId}`)}&limit=10`,
      )
    ).json()) as ZipkinSpan[][];
    expect(bySaga.map((t) => t[0]?.traceId)).toEqual([traceId]);

    // Log lines of the saga's handlers join by sagaId across services, each with its trace, span and event.
    const logDir = ctx.logDir as string;
    const lines = ['auth', 'user', 'blog'].flatMap((app) =>
      readFileSync(join(logDir, `${app}.log`), 'utf8')
        .split('\n')
        .filter((line) => line.includes(sagaId))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    );
    expect(new Set(lines.map((l) => l['service']))).toEqual(new Set(['auth', 'user', 'blog']));
    for (const line of lines.filter((l) => l['eventId'] !== undefined)) {
      expect(line).toMatchObject({ traceId, sagaId, spanId: expect.stringMatching(/^[0-9a-f]{16}$/) });
      expect(line['eventType']).toEqual(expect.any(String));
    }
  });

  it("shows a sign-up's trace in Zipkin's own UI (headless Chromium)", async () => {
    const { traceId, traceparent } = newTrace();
    const started = await api.post('/v1/accounts', credentials(uniqueNickname('Ts')), {
      headers: { traceparent },
    });
    expectStatus(started, 202);
    const account = await sagas.awaitAccount({
      body: started.body as { accountId: string },
      acceptedAt: Date.now(),
    });
    expect(account.status).toBe('ACTIVE');
    await awaitTrace(traceId, [['auth', 'CONSUMER', /^events\.blog\.blog process$/]]);

    mkdirSync(ctx.runDir, { recursive: true });
    const shot = await screenshot(
      `${zipkin}/zipkin/traces/${traceId}`,
      join(ctx.runDir, 'zipkin-sign-up-trace.png'),
      [traceId, 'api-gateway: post /v1/accounts'],
    );
    // The page is the trace: its id, five services (the gateway, auth, user, blog; subscribe, visitor and post see the
    // events too) in its header, and the steps of the saga in its timeline.
    expect(shot.text).toContain(traceId);
    expect(Number(/Services\s+(\d+)/.exec(shot.text)?.[1])).toBeGreaterThanOrEqual(5);
    for (const step of ['auth: blog.auth.v1.authservice/createaccount', 'user: events.auth.account process'])
      expect(shot.text.toLowerCase()).toContain(step);
    // UPDATE_SCREENSHOTS=1 refreshes the README's picture from this run.
    if (process.env['UPDATE_SCREENSHOTS'] === '1') {
      copyFileSync(shot.file, join(repoRoot, 'docs', 'images', 'zipkin-sign-up-trace.png'));
    }
  });

  it('traces a compensated sign-up (blog slug taken) to its AccountRejected, as one trace', async () => {
    const owner = credentials(uniqueNickname('To'));
    expect((await sagas.signUp(owner)).status).toBe('ACTIVE');
    const takenSlug = owner.nickname.toLowerCase().replaceAll('_', '-');

    const { traceId, traceparent } = newTrace();
    const started = await api.post(
      '/v1/accounts',
      { ...credentials(uniqueNickname('Tc')), blogSlug: takenSlug },
      {
        headers: { traceparent },
      },
    );
    expectStatus(started, 202);
    const account = await sagas.awaitAccount({
      body: started.body as { accountId: string },
      acceptedAt: Date.now(),
    });
    expect(account).toMatchObject({ status: 'REJECTED', reason: 'BLOG_SLUG_TAKEN' });

    const spans = await awaitTrace(traceId, [
      ['api-gateway', 'SERVER', /^post \/v1\/accounts$/i],
      ['auth', 'SERVER', /createaccount$/i],
      ['user', 'CONSUMER', /^events\.auth\.account process$/],
      ['blog', 'CONSUMER', /^events\.user\.profile process$/],
      ['user', 'CONSUMER', /^events\.blog\.blog process$/],
      ['auth', 'CONSUMER', /^events\.user\.profile process$/],
    ]);
    expectOneConnectedTrace(spans, traceId);
    // The compensation: blog rejects the slug, user deletes the profile, auth rejects the account (by event type:
    // services also see events of this trace that are not their business, and skip them under spans of their own).
    expectChain(spans, [
      findSpan(spans, 'api-gateway', 'SERVER', /^post /i),
      findSpan(spans, 'auth', 'SERVER', /createaccount$/i),
      findSpan(spans, 'user', 'CONSUMER', /process$/, 'AccountCreated'),
      findSpan(spans, 'blog', 'CONSUMER', /process$/, 'UserCreated'),
      findSpan(spans, 'user', 'CONSUMER', /process$/, 'BlogRejected'),
      findSpan(spans, 'auth', 'CONSUMER', /process$/, 'UserDeleted'),
    ] as ZipkinSpan[]);
  });

  it('traces publishing a post: gateway, post, blog and post again, as one trace', async () => {
    const author = await sagas.member('Tp');
    const { traceId, traceparent } = newTrace();
    const started = await api.post(
      `/v1/blogs/${author.blogId}/posts`,
      { title: 'Traced', content: 'One trace.' },
      { token: author.token, headers: { traceparent } },
    );
    expectStatus(started, 202);
    const postId = (started.body as { postId: string }).postId;
    await eventually(async () => {
      const post = await api.get(`/v1/posts/${postId}`);
      expectStatus(post, 200);
      expect((post.body as { status: string }).status).toBe('PUBLISHED');
    });

    const wanted: [string, string, RegExp][] = [
      ['api-gateway', 'SERVER', /^post \/v1\/blogs\/:blogId\/posts$/i],
      ['post', 'SERVER', /submitpost$/i],
      ['blog', 'CONSUMER', /^events\.post\.post process$/],
      ['post', 'CONSUMER', /^events\.blog\.blog process$/],
      ['subscribe', 'CONSUMER', /^events\.post\.post process$/],
    ];
    const spans = await awaitTrace(traceId, wanted);
    expectOneConnectedTrace(spans, traceId);
    // blog also sees PostPublished on events.post.post (not its business, skipped): pick the steps by event type.
    expectChain(spans, [
      findSpan(spans, 'api-gateway', 'SERVER', /^post /i),
      findSpan(spans, 'post', 'SERVER', /submitpost$/i),
      findSpan(spans, 'blog', 'CONSUMER', /process$/, 'PostSubmitted'),
      findSpan(spans, 'post', 'CONSUMER', /process$/, 'PostAccepted'),
      findSpan(spans, 'subscribe', 'CONSUMER', /process$/, 'PostPublished'),
    ] as ZipkinSpan[]);
  });
});
