// The `blog` CLI: `npx blog <verb>`. Every verb is a thin layer over the library; output is a table by default and
// JSON with --json. Exit codes: 0 done, 1 failed, 2 bad input or unknown name (nothing changed), 3 stack down.
import { createInterface } from 'node:readline/promises';
import { EventTopics } from '@blog/proto';
import { Command, CommanderError, Option } from 'commander';
import { callMethod, parseJsonArgument, parseMetadata } from '../call';
import { dlqTopics, type DeadLetterRecord } from '../dlq';
import { OpsError, usage } from '../errors';
import { decodeEvent, eventTypeOf } from '../decode';
import { Ops } from '../ops';
import type { Saga } from '../saga-model';
import { findService, serviceStates } from '../services';
import { traceUrl, type OpsTarget } from '../target';
import { ago, duration, iso, table } from './format';

/** CliIo is where the CLI writes and how it asks (tests pass their own). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** confirm asks a yes/no question; undefined when nobody can answer (stdin is not a terminal). */
  confirm?(question: string): Promise<boolean>;
}

/** Extra verbs the host adds (the repo's tools add `stack`, `connect`, `console`). */
export type ExtraVerbs = (program: Command, io: CliIo) => void;

const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  confirm: process.stdin.isTTY
    ? async (question) => {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question(`${question} [y/N] `);
        rl.close();
        return /^y(es)?$/i.test(answer.trim());
      }
    : undefined,
};

/** runCli runs one command line against the target and returns the exit code. */
export async function runCli(
  argv: readonly string[],
  target: OpsTarget,
  repoRoot: string,
  io: CliIo = processIo,
  extra?: ExtraVerbs,
): Promise<number> {
  const ops = new Ops(target, repoRoot);
  const program = buildProgram(ops, io, extra);
  let code = 0;
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    code = (program as Command & { exitCodeOverride?: number }).exitCodeOverride ?? 0;
  } catch (error) {
    code = report(error, io);
  } finally {
    await ops.close();
  }
  return code;
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0;
    return 2; // commander already printed the one line (unknown verb, missing argument, bad option)
  }
  if (error instanceof OpsError) {
    io.err(`blog: ${error.message}`);
    return error.exitCode;
  }
  io.err(`blog: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
}

function buildProgram(ops: Ops, io: CliIo, extra?: ExtraVerbs): Command {
  const program = new Command('blog')
    .description('Operate the blog platform: services, calls, events, sagas and dead letters.')
    .showHelpAfterError('(blog --help lists the verbs)');
  const json = new Option('--json', 'print JSON instead of a table');
  const progress = (read: number, total: number) => {
    if (total >= 2000) io.err(`scanning: ${read}/${total} records`);
  };
  const print = (asJson: boolean | undefined, value: unknown, human: () => string) =>
    io.out(asJson ? JSON.stringify(value, null, 2) : human());

  program
    .command('services')
    .description('every app, its nodes, version, health (grpc.health.v1), breaker states and uptime')
    .addOption(json)
    .action(async (o: { json?: boolean }) => {
      const states = await serviceStates(ops.target.services, ops.target.grpcCredentials);
      print(o.json, states, () =>
        table(
          ['SERVICE', 'NODE', 'ADMIN', 'VERSION', 'HEALTH', 'UPTIME', 'BREAKERS'],
          states.flatMap((s) =>
            s.nodes.map((n) => [
              s.name,
              n.grpc ?? '(REST)',
              n.admin,
              n.version,
              n.health,
              n.uptimeSeconds === undefined ? undefined : duration(n.uptimeSeconds * 1000),
              breakerSummary(n.breakers),
            ]),
          ),
        ),
      );
    });

  program
    .command('health [service]')
    .description('health of every service, or of one; exit 1 when a node is not SERVING')
    .addOption(json)
    .action(async (name: string | undefined, o: { json?: boolean }) => {
      const services = name ? [findService(ops.target.services, name)] : ops.target.services;
      const states = await serviceStates(services, ops.target.grpcCredentials);
      const rows = states.flatMap((s) =>
        s.nodes.map((n) => ({ service: s.name, node: n.grpc ?? n.admin, health: n.health })),
      );
      print(o.json, rows, () =>
        table(
          ['SERVICE', 'NODE', 'HEALTH'],
          rows.map((r) => [r.service, r.node, r.health]),
        ),
      );
      if (rows.some((r) => r.health !== 'SERVING')) setExit(program, 1);
    });

  program
    .command('call <service> <method> [json]')
    .description('call an RPC through server reflection, e.g. call user GetUser \'{"userId":"..."}\'')
    .option('-m, --metadata <pair...>', 'request metadata, name:value (repeatable)')
    .option('-d, --deadline <ms>', 'deadline in milliseconds', '10000')
    .action(
      async (
        name: string,
        method: string,
        body: string | undefined,
        o: { metadata?: string[]; deadline: string },
      ) => {
        const service = findService(ops.target.services, name);
        const request = parseJsonArgument(body ?? '{}');
        const deadlineMs = Number(o.deadline);
        if (!Number.isInteger(deadlineMs) || deadlineMs <= 0)
          throw usage(`bad --deadline "${o.deadline}": a positive number of milliseconds`);
        const node = service.nodes.find((n) => n.grpc)?.grpc;
        if (!node) throw usage(`${name} serves no gRPC`);
        const result = await callMethod(node, method, request, {
          metadata: parseMetadata(o.metadata ?? []),
          deadlineMs,
          serviceName: service.grpcService,
          credentials: ops.target.grpcCredentials,
        });
        if (result.ok) return io.out(JSON.stringify(result.response, null, 2));
        io.out(JSON.stringify(result.status, null, 2));
        setExit(program, 1);
      },
    );

  const events = program.command('events').description('live events');
  events
    .command('tail')
    .description('print events as they arrive, decoded with the generated types (Ctrl-C stops)')
    .option('--topic <topic>', 'one event topic')
    .option('--saga <sagaId>', 'only events of this saga')
    .option('--aggregate <id>', 'only events of this aggregate (the record key)')
    .option('--count <n>', 'stop after n events')
    .addOption(json)
    .action(
      async (o: { topic?: string; saga?: string; aggregate?: string; count?: string; json?: boolean }) => {
        if (o.topic && !EventTopics.includes(o.topic))
          throw usage(`unknown topic "${o.topic}": one of ${EventTopics.join(', ')}`);
        const limit = o.count === undefined ? Infinity : Number(o.count);
        if (!(limit > 0)) throw usage(`bad --count "${o.count}": a positive number`);
        const log = await ops.log();
        let seen = 0;
        let finish: () => void = () => undefined;
        const finished = new Promise<void>((resolve) => (finish = resolve));
        const stop = await log.tail(o.topic ? [o.topic] : EventTopics, (r) => {
          if (o.saga && r.headers['sagaId'] !== o.saga) return;
          if (o.aggregate && r.key !== o.aggregate) return;
          const line = {
            at: iso(Number(r.timestamp)),
            topic: r.topic,
            type: eventTypeOf(r),
            key: r.key,
            sagaId: r.headers['sagaId'],
            eventId: r.headers['id'],
            data: decodeEvent(r),
          };
          io.out(
            o.json
              ? JSON.stringify(line)
              : `${line.at} ${line.topic} ${line.type} key=${line.key} saga=${line.sagaId ?? '-'} ${JSON.stringify(line.data)}`,
          );
          if (++seen >= limit) finish();
        });
        io.err(`tailing ${o.topic ?? 'every event topic'} (Ctrl-C stops)`);
        const onSignal = () => finish();
        process.once('SIGINT', onSignal);
        await finished;
        process.off('SIGINT', onSignal);
        await stop();
      },
    );

  program
    .command('sagas')
    .description('sagas with their status and, when not terminal, the step they wait on')
    .option(
      '--type <type>',
      'sign-up | publish-post | subscribe | delete-account | unsubscribe | delete-post | ...',
    )
    .option('--status <status>', 'RUNNING | COMPLETED | COMPENSATED')
    .option(
      '--stuck',
      `only sagas not terminal after the stuck threshold (${duration(ops.target.stuckAfterMs)}) or dead-lettered`,
    )
    .option('--limit <n>', 'at most n sagas, newest first', '50')
    .addOption(json)
    .action(async (o: { type?: string; status?: string; stuck?: boolean; limit: string; json?: boolean }) => {
      const sagas = await ops.sagas();
      const list = (await sagas.list({ type: o.type, status: o.status, stuck: o.stuck }, progress)).slice(
        0,
        Number(o.limit) || 50,
      );
      print(o.json, list.map(summary), () =>
        list.length === 0
          ? 'no sagas'
          : table(
              ['SAGA', 'TYPE', 'STATUS', 'STARTED', 'STEPS', 'WAITING ON'],
              list.map((s) => [
                s.sagaId,
                s.type,
                s.stuck ? `${s.status} (STUCK)` : s.status,
                ago(s.startedAt),
                s.steps.length,
                waiting(s),
              ]),
            ),
      );
    });

  program
    .command('saga <sagaId>')
    .description(
      "one saga's timeline across services: events, emitters, consumers, compensations, state, trace link",
    )
    .addOption(json)
    .action(async (sagaId: string, o: { json?: boolean }) => {
      const saga = await (await ops.sagas()).get(sagaId, progress);
      const trace = traceUrl(ops.target.traceViewerUrl, saga.traceparent);
      print(o.json, { ...summary(saga), steps: saga.steps, participants: saga.participants }, () =>
        [
          `saga ${saga.sagaId}  ${saga.type}  ${saga.status}${saga.stuck ? ' (STUCK)' : ''}${saga.compensated ? '  compensated' : ''}`,
          `started ${iso(saga.startedAt)}, last step ${iso(saga.updatedAt)}${saga.waitingOn ? `; waiting on ${waiting(saga)}` : ''}`,
          `trace ${trace ?? '(no trace context)'}`,
          '',
          table(
            ['AT', '+', 'EVENT', 'BY', 'TOPIC', 'KEY', 'CONSUMED BY'],
            saga.steps.map((s) => [
              iso(s.at),
              duration(s.at - saga.startedAt),
              `${s.compensation ? '↩ ' : ''}${s.type}`,
              s.producer,
              s.topic,
              s.key ?? '',
              [
                ...s.consumedBy.map((c) => `${c.service}${c.at ? ` +${duration(c.at - s.at)}` : ''}`),
                ...s.pending.map(
                  (p) =>
                    `${p} PENDING${s.deadLetters.some((d) => d.consumer === p) ? ' (dead-lettered)' : ''}`,
                ),
              ].join(', '),
            ]),
          ),
          '',
          'state now:',
          table(
            ['SERVICE', 'ENTITY', 'ID', 'STATE'],
            saga.participants.map((p) => [
              p.service,
              p.entity,
              p.id,
              p.state ? JSON.stringify(p.state) : '(gone)',
            ]),
          ),
        ].join('\n'),
      );
    });

  const dlq = program.command('dlq').description('dead letters: list, show, redrive, purge');
  dlq
    .command('list')
    .description('every dead letter with its error, attempts and original coordinates')
    .option('--topic <topic>', 'one event topic (or its .dlq)')
    .addOption(json)
    .action(async (o: { topic?: string; json?: boolean }) => {
      const letters = await (await ops.deadLetters()).list({ topic: o.topic, progress });
      print(o.json, letters.map(letterJson), () =>
        letters.length === 0
          ? 'no dead letters'
          : table(
              ['ID', 'EVENT', 'CONSUMER', 'ATTEMPTS', 'FAILED', 'REDRIVEN', 'ERROR'],
              letters.map((l) => [
                l.id,
                l.eventType,
                l.consumer,
                l.attempts,
                l.failedAt,
                l.redrives.length
                  ? `${l.redrives.length}x, last by ${l.redrives[l.redrives.length - 1]?.actor}`
                  : 'no',
                (l.error ?? '').slice(0, 80),
              ]),
            ),
      );
    });
  dlq
    .command('show <id>')
    .description('one dead letter: headers, payload, error, original coordinates, redrives')
    .addOption(json)
    .action(async (id: string, o: { json?: boolean }) => {
      const letter = await (await ops.deadLetters()).show(id);
      print(o.json, letterJson(letter), () =>
        [
          `dead letter ${letter.id}`,
          `event      ${letter.eventType} ${letter.eventId ?? ''} (saga ${letter.sagaId ?? '-'})`,
          `original   ${letter.original.topic}[${letter.original.partition ?? '?'}]@${letter.original.offset ?? '?'} key ${letter.key}`,
          `consumer   ${letter.consumer} after ${letter.attempts} attempts, ${letter.reason} at ${letter.failedAt}`,
          `error      ${letter.errorClass}: ${letter.error}`,
          `redriven   ${letter.redrives.map((r) => `${r.at} by ${r.actor}`).join('; ') || 'never'}`,
          `trace      ${traceUrl(ops.target.traceViewerUrl, letter.traceparent) ?? '-'}`,
          `payload    ${letter.payload}`,
        ].join('\n'),
      );
    });
  dlq
    .command('redrive [id]')
    .description(
      'republish a dead letter (or every one of a topic) to its original topic, same key, headers and event id',
    )
    .option('--topic <topic>', 'redrive the letters of this topic not redriven yet')
    .option('--all', 'with --topic: also those redriven before; alone: every topic')
    .option('-y, --yes', 'do not ask for confirmation (bulk redrives ask)')
    .addOption(json)
    .action(
      async (id: string | undefined, o: { topic?: string; all?: boolean; yes?: boolean; json?: boolean }) => {
        if (id && (o.topic || o.all)) throw usage('give a dead-letter id or --topic/--all, not both');
        if (!id && !o.topic && !o.all) throw usage('give a dead-letter id, --topic <topic> or --all');
        const letters = await ops.deadLetters();
        let chosen: DeadLetterRecord[];
        if (id) chosen = [await letters.show(id)];
        else {
          const list = await letters.list({ topic: o.topic, progress });
          chosen = o.all ? list : list.filter((l) => l.redrives.length === 0);
          if (chosen.length === 0) return io.out('nothing to redrive');
          await confirm(
            io,
            o.yes,
            `redrive ${chosen.length} dead letter(s) to ${[...new Set(chosen.map((l) => l.original.topic))].join(', ')}?`,
          );
        }
        const done = await letters.redrive(chosen);
        print(o.json, done.map(letterJson), () =>
          done
            .map(
              (l) =>
                `redrove ${l.id} (${l.eventType} ${l.eventId}) to ${l.original.topic} as ${ops.target.actor}`,
            )
            .join('\n'),
        );
      },
    );
  dlq
    .command('purge')
    .description('delete every dead letter (of one topic with --topic); asks first, --yes for scripts')
    .option('--topic <topic>', 'one event topic (or its .dlq)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (o: { topic?: string; yes?: boolean }) => {
      const letters = await ops.deadLetters();
      const topics = dlqTopics(o.topic);
      await confirm(io, o.yes, `delete every dead letter of ${topics.join(', ')}?`);
      const count = await letters.purge(o.topic);
      io.out(`purged ${count} dead letter(s) from ${topics.join(', ')}`);
    });

  extra?.(program, io);
  return program;
}

async function confirm(io: CliIo, yes: boolean | undefined, question: string): Promise<void> {
  if (yes) return;
  if (!io.confirm) throw usage(`${question} Refusing without a terminal to ask: pass --yes`);
  if (!(await io.confirm(question))) throw usage('cancelled: nothing changed');
}

function setExit(program: Command, code: number): void {
  (program as Command & { exitCodeOverride?: number }).exitCodeOverride = code;
}

function breakerSummary(breakers: { endpoint: string; state: string }[]): string {
  if (breakers.length === 0) return '-';
  const notClosed = breakers.filter((b) => b.state !== 'closed');
  return notClosed.length === 0
    ? `${breakers.length} closed`
    : notClosed.map((b) => `${b.endpoint} ${b.state.toUpperCase()}`).join(', ');
}

function waiting(saga: Saga): string {
  const w = saga.waitingOn;
  if (!w) return '';
  if (w.why === 'next-event') return `${w.service} to emit the step after ${w.event}`;
  return `${w.service} on ${w.event}${w.why === 'dead-lettered' ? ` (DEAD-LETTERED ${w.deadLetter?.id ?? ''})` : ''}`;
}

function summary(saga: Saga) {
  return {
    sagaId: saga.sagaId,
    type: saga.type,
    status: saga.status,
    stuck: saga.stuck,
    compensated: saga.compensated,
    startedAt: iso(saga.startedAt),
    updatedAt: iso(saga.updatedAt),
    steps: saga.steps.length,
    waitingOn: saga.waitingOn,
  };
}

function letterJson(l: DeadLetterRecord) {
  const { record: _record, ...rest } = l;
  return rest;
}
