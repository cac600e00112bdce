// The watchdog's decisions on made-up observations: when the connector counts as stuck, which remedy comes next,
// and when the watchdog must keep its hands off (Kafka down, worker down, connector paused or absent).
import { describe, expect, it } from 'vitest';
import {
  acted,
  decide,
  defaultWatchdogSettings as settings,
  initialState,
  parseLsn,
  type Decision,
  type Observation,
  type WatchdogState,
} from './watchdog-policy';

const s = 1_000;
const running = { state: 'RUNNING' as const, tasks: ['RUNNING' as const] };

/** look builds an observation at `t` seconds; slot LSNs in bytes. */
function look(
  t: number,
  over: Partial<Observation> & { confirmed?: number; wal?: number; holder?: number | null } = {},
): Observation {
  const { confirmed = 100, wal = 200, holder = 42, ...rest } = over;
  return {
    at: t * s,
    workerUp: true,
    workerId: 'w1',
    kafkaUp: true,
    connector: running,
    slot: {
      active: holder !== null,
      activePid: holder,
      confirmedLsn: BigInt(confirmed),
      walLsn: BigInt(wal),
    },
    ...rest,
  };
}

/** run feeds observations in order and returns the last decision and state, performing every `act`. */
function run(observations: Observation[], state: WatchdogState = initialState(0)) {
  let decision: Decision = { kind: 'wait', reason: 'nothing observed', stuck: false };
  const actions: string[] = [];
  for (const obs of observations) {
    ({ state, decision } = decide(state, obs));
    if (decision.kind === 'act') {
      actions.push(
        `${obs.at / s}s ${decision.remedy}${decision.terminatePid ? ` terminate ${decision.terminatePid}` : ''}`,
      );
      state = acted(state, obs.at);
    }
  }
  return { state, decision, actions };
}

const every5s = (from: number, to: number, over: Parameters<typeof look>[1] = {}) =>
  Array.from({ length: Math.floor((to - from) / 5) + 1 }, (_, i) => look(from + i * 5, over));

describe('connector watchdog policy', () => {
  it('leaves a streaming connector alone: the confirmed LSN moves with every heartbeat', () => {
    const observations = Array.from({ length: 60 }, (_, i) =>
      look(i * 5, { confirmed: 100 + i, wal: 300 + i }),
    );
    const { decision, actions } = run(observations);
    expect(actions).toEqual([]);
    expect(decision).toMatchObject({ kind: 'ok', stuck: false });
  });

  it('leaves an idle database alone: nothing to confirm is not a stall', () => {
    const { decision, actions } = run(every5s(0, 600, { confirmed: 500, wal: 500 }));
    expect(actions).toEqual([]);
    expect(decision.kind).toBe('ok');
  });

  it('judges a slot that stops moving with WAL behind it, and terminates its holder before restarting the connector', () => {
    const { actions, decision } = run(every5s(0, 40, { confirmed: 100, wal: 5_000 }));
    expect(actions).toEqual(['40s restart-connector terminate 42']);
    expect(decision.reason).toMatch(/held by pid 42, confirmed_flush_lsn unchanged for 40 s with 4900 bytes/);
  });

  it('does not count an outage: the stall clock starts when Kafka is back (the orphan case of DBZ-9617)', () => {
    const outage = every5s(0, 120, { kafkaUp: false, confirmed: 100, wal: 5_000 });
    const back = every5s(125, 200, { confirmed: 100, wal: 6_000 });
    const { actions } = run([...outage, ...back]);
    expect(outage.map((o) => decide(initialState(0), o).decision.kind)).not.toContain('act');
    // Kafka seen again at 125 s: judged 40 s later; the connector restart did not help within its grace: a new worker.
    expect(actions).toEqual(['165s restart-connector terminate 42']);
  });

  it('escalates to a worker restart when the connector restart brings no progress within its grace', () => {
    const { actions } = run(every5s(0, 100, { confirmed: 100, wal: 5_000 }));
    expect(actions).toEqual(['40s restart-connector terminate 42', '85s restart-worker']);
  });

  it('gives a restarted worker the full stall time, then backs off before the ladder starts again', () => {
    const before = every5s(0, 85, { confirmed: 100, wal: 5_000 });
    const newWorker = every5s(90, 400, { confirmed: 100, wal: 5_000, workerId: 'w2', holder: null });
    const { actions } = run([...before, ...newWorker]);
    // restart-worker at 85 s; its grace (45 s) and the first backoff (60 s) hold the ladder until 190 s. The second
    // round backs off twice as long: 235 s + 45 s + 120 s = 400 s.
    expect(actions).toEqual([
      '40s restart-connector terminate 42',
      '85s restart-worker',
      '190s restart-connector',
      '235s restart-worker',
      '400s restart-connector',
    ]);
  });

  it('starts the ladder from the mildest step again once the connector streams', () => {
    const stalled = every5s(0, 40, { confirmed: 100, wal: 5_000 });
    const recovered = every5s(45, 100).map((o, i) => look(o.at / s, { confirmed: 200 + i }));
    const again = every5s(105, 145, { confirmed: 999, wal: 9_000 });
    const { actions } = run([...stalled, ...recovered, ...again]);
    expect(actions).toEqual(['40s restart-connector terminate 42', '145s restart-connector terminate 42']);
  });

  it('restarts a FAILED task at once, whatever the slot says', () => {
    const failed = { state: 'RUNNING' as const, tasks: ['FAILED' as const] };
    const { actions, decision } = run([look(0, { connector: failed, holder: null })]);
    expect(actions).toEqual(['0s restart-connector']);
    expect(decision.reason).toBe('connector RUNNING, tasks FAILED');
  });

  it('keeps its hands off while the worker is down, the connector is absent or paused', () => {
    for (const over of [
      { workerUp: false },
      { connector: undefined },
      { connector: { state: 'PAUSED' as const, tasks: ['PAUSED' as const] } },
    ]) {
      const { actions, decision } = run(every5s(0, 300, { confirmed: 100, wal: 5_000, ...over }));
      expect(actions, JSON.stringify(over)).toEqual([]);
      expect(decision.stuck).toBe(false);
    }
  });

  it('reports stuck from the first remedy until progress', () => {
    const stalled = every5s(0, 50, { confirmed: 100, wal: 5_000 });
    const { decision } = run(stalled);
    expect(decision).toMatchObject({ kind: 'wait', stuck: true });
    expect(decide(run(stalled).state, look(55, { confirmed: 101, wal: 5_000 })).decision).toMatchObject({
      kind: 'ok',
      stuck: false,
    });
  });

  it('parses LSNs', () => {
    expect(parseLsn('0/1974220')).toBe(0x1974220n);
    expect(parseLsn('1/0')).toBe(1n << 32n);
    expect(() => parseLsn('x')).toThrow(/not an LSN/);
    expect(settings.stallMs).toBeLessThan(settings.graceMs);
  });
});
