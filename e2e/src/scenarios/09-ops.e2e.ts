// The `blog` CLI (libs/ops) against the running system: a poison event end to end (dead-lettered, the saga reported
// stuck at that step, the cause fixed, `dlq redrive`, the saga completes, nothing applied twice, a second redrive
// changes nothing), saga timelines with compensations, `call` on every service through reflection, bad input.
// The poison is real: a trigger in blog's schema refuses the new blog, so blog's UserCreated handler fails every try.
import { randomUUID } from 'node:crypto';
import { runCli, type CliIo, type OpsTarget } from '@blog/ops';
import { Client } from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { EventLog } from '../support/kafka/event-log';
import { credentials, expectStatus, uniqueNickname } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';
import { repoRoot, stackInfo, toolsCredentials } from '../support/tooling';

const { ctx, api, sagas } = suite();

/** blog runs one CLI command line in-process and returns its exit code and output. */
async function blog(
  target: OpsTarget,
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await runCli(argv, target, repoRoot, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function json<T>(target: OpsTarget, ...argv: string[]): Promise<T> {
  const result = await blog(target, ...argv, '--json');
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as T;
}

scenario('ops CLI: dead letters, saga timelines, calls', ['kafka', 'local'], () => {
  let target: OpsTarget;
  let db: Client;
  let log: EventLog;

  beforeAll(async () => {
    const info = stackInfo();
    const ports = ctx.appPorts ?? {};
    target = {
      kafkaBrokers: ctx.kafkaBrokers ?? [],
      kafkaSasl: ctx.kafkaSasl,
      databaseUrl: info.adminDatabaseUrl,
      services: ['auth', 'user', 'blog', 'post', 'visitor', 'subscribe'].map((name) => ({
        name,
        schema: name === 'user' ? 'users' : name,
        grpcService: `blog.${name}.v1.${name[0]?.toUpperCase()}${name.slice(1)}Service`,
        nodes: Object.entries(ports)
          .filter(([instance]) => instance.split('.')[0] === name)
          .map(([, [grpc, admin]]) => ({ grpc: `127.0.0.1:${grpc}`, admin: `127.0.0.1:${admin}` })),
      })),
      traceViewerUrl: 'http://127.0.0.1:9411',
      stuckAfterMs: 600_000,
      // The tools' development identity (blog-tools), as the CLI and the console use it.
      grpcCredentials: toolsCredentials(),
      actor: 'e2e-operator',
    };
    db = new Client({ connectionString: info.adminDatabaseUrl });
    await db.connect();
    log = await EventLog.connect(ctx.kafkaBrokers ?? [], ctx.kafkaSasl);
  });
  afterAll(async () => {
    await db?.query(
      'drop trigger if exists e2e_poison on blog.blog; drop function if exists blog.e2e_poison()',
    );
    await db?.end();
    await log?.close();
  });

  it('a poison event: dead-lettered, stuck, redriven after the fix, completed once; a second redrive changes nothing', async () => {
    const nickname = `poison${uniqueNickname('p').slice(-10)}`.toLowerCase();
    await db.query(`
      create or replace function blog.e2e_poison() returns trigger language plpgsql as $$
      begin
        if new.slug like 'poison%' then raise exception 'e2e poison: slug % refused', new.slug; end if;
        return new;
      end $$;
      create trigger e2e_poison before insert on blog.blog for each row execute function blog.e2e_poison();`);
    const started = await api.post('/v1/accounts', credentials(nickname));
    expectStatus(started, 202);
    const accountId = (started.body as { accountId: string }).accountId;
    const [{ signup_saga_id: sagaId }] = (
      await db.query<{ signup_saga_id: string }>('select signup_saga_id from auth.account where id = $1', [
        accountId,
      ])
    ).rows as [{ signup_saga_id: string }];

    // It lands in the DLQ with the error, the attempts and the original coordinates.
    type Letter = {
      id: string;
      eventType: string;
      key: string;
      sagaId: string;
      consumer: string;
      attempts: number;
      error: string;
      original: { topic: string };
      redrives: unknown[];
    };
    const letter = await eventually(
      async () => {
        const letters = await json<Letter[]>(target, 'dlq', 'list', '--topic', 'events.user.profile');
        const found = letters.find((l) => l.sagaId === sagaId);
        if (!found) throw new Error(`no dead letter of saga ${sagaId} yet`);
        return found;
      },
      { timeoutMs: 60_000, what: 'the UserCreated dead letter' },
    );
    expect(letter).toMatchObject({
      eventType: 'UserCreated',
      key: accountId,
      consumer: 'blog',
      attempts: 5,
      original: { topic: 'events.user.profile' },
      redrives: [],
    });
    expect(letter.error).toContain('e2e poison');
    const shown = await blog(target, 'dlq', 'show', letter.id);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('e2e poison');

    // The saga is stuck at that step: blog on UserCreated, dead-lettered.
    type SagaJson = {
      status: string;
      stuck: boolean;
      type: string;
      waitingOn?: { service: string; event: string; why: string };
      steps: { type: string; consumedBy: { service: string }[]; compensation: boolean }[];
      participants: { service: string; state: Record<string, unknown> | null }[];
    };
    const stuck = await json<SagaJson>(target, 'saga', sagaId);
    expect(stuck).toMatchObject({
      type: 'sign-up',
      status: 'RUNNING',
      stuck: true,
      waitingOn: { service: 'blog', event: 'UserCreated', why: 'dead-lettered' },
    });
    const stuckList = await json<{ sagaId: string }[]>(target, 'sagas', '--stuck');
    expect(stuckList.map((s) => s.sagaId)).toContain(sagaId);

    // The cause is fixed; the redrive brings the event back and the saga completes.
    await db.query('drop trigger e2e_poison on blog.blog; drop function blog.e2e_poison()');
    const redriven = await blog(target, 'dlq', 'redrive', letter.id);
    expect(redriven.code, redriven.err).toBe(0);
    const done = await eventually(
      async () => {
        const saga = await json<SagaJson>(target, 'saga', sagaId);
        if (saga.status !== 'COMPLETED')
          throw new Error(`saga ${saga.status}, waiting on ${JSON.stringify(saga.waitingOn)}`);
        return saga;
      },
      { timeoutMs: 60_000, what: 'the saga completing after the redrive' },
    );
    expect(done.steps.map((s) => s.type)).toEqual([
      'AccountCreated',
      'UserCreated',
      'BlogCreated',
      'AccountActivated',
    ]);
    expect(done.participants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: 'auth', state: expect.objectContaining({ status: 'ACTIVE' }) }),
        expect.objectContaining({ service: 'blog', state: expect.objectContaining({ status: 'ACTIVE' }) }),
      ]),
    );
    const logged = await db.query('select actor from ops.redrive_log where dlq_id = $1', [letter.id]);
    expect(logged.rows).toEqual([{ actor: 'e2e-operator' }]);

    // A second redrive of the already-processed record changes nothing (the inbox dedupes by the same event id).
    const again = await blog(target, 'dlq', 'redrive', letter.id);
    expect(again.code, again.err).toBe(0);
    const copies = await eventually(
      async () => {
        const records = (await log.readAll(['events.user.profile'])).filter(
          (r) => r.headers['redrive.from'] === letter.id,
        );
        if (records.length < 2) throw new Error(`${records.length} redriven copies on the topic`);
        return records;
      },
      { what: 'both redriven copies on the topic' },
    );
    expect(new Set(copies.map((r) => r.headers['id']))).toEqual(
      new Set([
        done.steps[1] &&
          (await json<{ steps: { eventId: string }[] }>(target, 'saga', sagaId)).steps[1]?.eventId,
      ]),
    );
    await log.waitConsumed(copies.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.offset })));
    const blogs = await db.query('select count(*)::int as n from blog.blog where owner_id = $1', [accountId]);
    expect(blogs.rows).toEqual([{ n: 1 }]);
    const after = await json<SagaJson>(target, 'saga', sagaId);
    expect(after.steps.map((s) => s.type)).toEqual([
      'AccountCreated',
      'UserCreated',
      'BlogCreated',
      'AccountActivated',
    ]);
    expect(
      (await json<Letter[]>(target, 'dlq', 'list', '--topic', 'events.user.profile')).find(
        (l) => l.id === letter.id,
      )?.redrives,
    ).toHaveLength(2);
  });

  it('saga timelines for every saga type, compensations marked', async () => {
    const [author, reader] = await Promise.all([sagas.member('Oa'), sagas.member('Or')]);
    const taken = credentials(author.nickname.toUpperCase()); // the nickname is taken: user compensates
    const rejected = await sagas.signUp({ ...taken, email: `x${taken.email}` });
    expect(rejected.status).toBe('REJECTED');
    const post = await sagas.publish(author);
    await sagas.subscribe(reader, author.blogId);
    const self = await sagas.startSubscription(author, author.blogId); // own blog: blog refuses
    await sagas.awaitSubscription(author, self);
    expectStatus(await api.delete(`/v1/posts/${post.postId}`, { token: author.token }), 204);
    expectStatus(await api.delete('/v1/accounts/me', { token: author.token }), 202);

    type Row = { sagaId: string; type: string; status: string };
    const expected: [string, string, string[]][] = [
      ['sign-up', 'COMPLETED', ['AccountCreated', 'UserCreated', 'BlogCreated', 'AccountActivated']],
      ['sign-up', 'COMPENSATED', ['AccountCreated', 'UserRejected', 'AccountRejected']],
      ['publish-post', 'COMPLETED', ['PostSubmitted', 'PostAccepted', 'PostPublished']],
      ['subscribe', 'COMPLETED', ['SubscriptionRequested', 'SubscriptionAccepted', 'SubscriptionActivated']],
      ['subscribe', 'COMPENSATED', ['SubscriptionRequested', 'SubscriptionRejected']],
      ['delete-post', 'COMPLETED', ['PostDeleted']],
    ];
    const ours = new Set([
      author.userId,
      reader.userId,
      author.blogId,
      post.postId,
      rejected.accountId,
      self.body.subscriptionId,
    ]);
    await eventually(
      async () => {
        const all = await json<(Row & { sagaId: string })[]>(target, 'sagas', '--limit', '100000');
        for (const [type, status, steps] of expected) {
          const candidates = all.filter((s) => s.type === type && s.status === status);
          let matched = false;
          for (const candidate of candidates) {
            const saga = await json<{
              steps: {
                type: string;
                key: string;
                compensation: boolean;
                producer: string;
                consumedBy: unknown[];
              }[];
            }>(target, 'saga', candidate.sagaId);
            if (!saga.steps.some((s) => ours.has(s.key))) continue;
            expect(
              saga.steps.map((s) => s.type),
              `${type} ${status}`,
            ).toEqual(steps);
            for (const step of saga.steps) expect(step.compensation).toBe(/Rejected$/.test(step.type));
            matched = true;
            break;
          }
          if (!matched) throw new Error(`no ${status} ${type} saga of this test yet`);
        }
        let deleted = false;
        for (const candidate of all.filter((s) => s.type === 'delete-account' && s.status === 'COMPLETED')) {
          const saga = await json<{
            steps: { type: string; key: string; consumedBy: { service: string }[] }[];
          }>(target, 'saga', candidate.sagaId);
          if (saga.steps[0]?.key !== author.userId) continue;
          // The fan-out and fan-in across all six services, ending with auth's AccountDeleted.
          expect(saga.steps[saga.steps.length - 1]?.type).toBe('AccountDeleted');
          expect(new Set(saga.steps.map((s) => s.type))).toEqual(
            new Set([
              'AccountDeletionRequested',
              'UserDeleted',
              'BlogDeleting',
              'BlogPostsDeleted',
              'BlogSubscriptionsCancelled',
              'AccountSubscriptionsCancelled',
              'BlogStatsDropped',
              'BlogDeleted',
              'AccountDeleted',
              ...saga.steps.filter((s) => s.type === 'SubscriptionCancelled').map((s) => s.type),
            ]),
          );
          expect(saga.steps[0]?.consumedBy.map((c) => c.service).sort()).toEqual([
            'blog',
            'subscribe',
            'user',
          ]);
          deleted = true;
        }
        if (!deleted) throw new Error('the account deletion has not completed yet');
      },
      { timeoutMs: 90_000, what: 'every saga type on the timeline' },
    );
    const text = await blog(target, 'sagas', '--type', 'sign-up', '--status', 'compensated');
    expect(text.code).toBe(0);
    expect(text.out).toContain('COMPENSATED');
  });

  it('events tail prints new events live, decoded, filtered by topic', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const tail = runCli(
      ['events', 'tail', '--topic', 'events.auth.account', '--count', '1', '--json'],
      target,
      repoRoot,
      {
        out: (t) => out.push(t),
        err: (t) => err.push(t),
      },
    );
    await eventually(async () => expect(err.join('\n')).toContain('tailing events.auth.account'), {
      what: 'the tail joining its group',
    });
    const nickname = uniqueNickname('T');
    expectStatus(await api.post('/v1/accounts', credentials(nickname)), 202);
    expect(await tail).toBe(0);
    const line = JSON.parse(out[0] ?? '{}') as { topic: string; type: string; data: { nickname?: string } };
    expect(line).toMatchObject({ topic: 'events.auth.account', type: 'AccountCreated', data: { nickname } });
  });

  it('call reaches every service through reflection and prints a business error with its details', async () => {
    const id = randomUUID();
    const calls: [string, string, object][] = [
      ['auth', 'GetAccount', { accountId: id }],
      ['user', 'GetUser', { userId: id }],
      ['blog', 'GetBlog', { blogId: id }],
      ['post', 'GetPost', { postId: id }],
      ['visitor', 'GetBlogStats', { blogId: id }],
      ['subscribe', 'GetSubscription', { subscriberId: id, blogId: id }],
    ];
    for (const [service, method, body] of calls) {
      const result = await blog(
        target,
        'call',
        service,
        method,
        JSON.stringify(body),
        '--deadline',
        '5000',
        '--metadata',
        'x-request-id:e2e-ops',
      );
      expect(result.err, `${service} ${method}`).toBe('');
      const answer = JSON.parse(result.out) as { code?: number; codeName?: string };
      // A fresh id is unknown (NOT_FOUND) except where the service answers zeros for it (visitor's stats).
      if (result.code === 1) expect(answer.codeName, `${service} ${method}`).toBe('NOT_FOUND');
      else expect(result.code).toBe(0);
    }
    const bad = await blog(
      target,
      'call',
      'auth',
      'CreateAccount',
      JSON.stringify({ email: 'not-an-email', password: 'x', nickname: '' }),
    );
    expect(bad.code).toBe(1);
    const status = JSON.parse(bad.out) as {
      codeName: string;
      details: { '@type': string; fieldViolations?: { field: string }[] }[];
    };
    expect(status.codeName).toBe('INVALID_ARGUMENT');
    expect(
      status.details
        .find((d) => d['@type'].endsWith('google.rpc.BadRequest'))
        ?.fieldViolations?.map((v) => v.field),
    ).toEqual(expect.arrayContaining(['email']));
  });

  it('bad input: one line, exit code 2, nothing changed', async () => {
    const before = (await json<unknown[]>(target, 'dlq', 'list')).length;
    const cases: string[][] = [
      ['call', 'nope', 'GetUser', '{}'],
      ['call', 'user', 'NoSuchMethod', '{}'],
      ['call', 'user', 'GetUser', '{"userId":'],
      ['call', 'user', 'GetUser', '{"nope":1}'],
      ['saga', randomUUID()],
      ['saga', 'not a saga id'],
      ['dlq', 'show', 'events.user.profile.dlq:0:999999'],
      ['dlq', 'show', 'nonsense'],
      ['dlq', 'redrive', 'events.user.profile.dlq:0:999999'],
      ['dlq', 'list', '--topic', 'events.nope'],
      ['dlq', 'purge'], // no terminal to confirm and no --yes: refused
      ['sagas', '--type', 'nope'],
      ['no-such-verb'],
    ];
    for (const argv of cases) {
      const result = await blog(target, ...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(
        result.err
          .trim()
          .split('\n')
          .filter((l) => !l.startsWith('(blog --help')),
        argv.join(' '),
      ).toHaveLength(1);
      expect(result.out, argv.join(' ')).toBe('');
    }
    expect((await json<unknown[]>(target, 'dlq', 'list')).length).toBe(before);
  });
  it('purge empties a dead-letter topic after --yes and logs who did it', async () => {
    const before = await json<unknown[]>(target, 'dlq', 'list', '--topic', 'events.user.profile');
    expect(before.length).toBeGreaterThan(0); // the poison test's letter is there
    const purged = await blog(target, 'dlq', 'purge', '--topic', 'events.user.profile', '--yes');
    expect(purged.code, purged.err).toBe(0);
    expect(purged.out).toBe(`purged ${before.length} dead letter(s) from events.user.profile.dlq`);
    expect(await json<unknown[]>(target, 'dlq', 'list', '--topic', 'events.user.profile')).toEqual([]);
    const { rows } = await db.query(
      "select actor from ops.redrive_log where action = 'purge' and dlq_topic = 'events.user.profile.dlq' order by id",
    );
    expect(rows.at(-1)).toEqual({ actor: 'e2e-operator' });
  });
});
