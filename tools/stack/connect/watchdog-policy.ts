// The connector watchdog's decisions, without I/O: given what it saw (Connect's status, the replication slot,
// whether Kafka answers), is the outbox connector streaming, and if not, what to do next.
//
// Why a watchdog: when Kafka is down longer than the worker's heartbeat interval plus the task's graceful-stop
// timeout (about 90 s with deploy/local/connect-distributed.properties), Debezium 3.2's stop leaves its streaming
// thread behind (DBZ-9617). That orphan holds the replication slot and its JMX names, Connect's REST status still
// says RUNNING, and nothing flows until the worker restarts. See deploy/connector/README.md#kafka-outages.
//
// The signal is the slot, not the REST status: a streaming connector moves the slot's confirmed_flush_lsn at least
// every heartbeat (heartbeat.interval.ms with heartbeat.action.query writes WAL through the publication). So: WAL
// ahead of confirmed_flush_lsn and no movement of it for `stallMs`, while Kafka and the worker have been up that
// long, means not streaming. A FAILED connector or task means it too, at once.
//
// The remedies, mildest first, each given `graceMs` to show progress before the next:
//   1. restart-connector: terminate the walsender that holds the slot (it belongs to a task that delivers nothing),
//      then restart the connector and its tasks through the REST API (includeTasks, not only failed ones);
//   2. restart-worker: a new JVM (the orphan lives in the old one, so only this clears it for good).
// After the last remedy the ladder starts again, after a backoff that doubles up to `maxBackoffMs`.

/** ConnectorState is Connect's state of a connector or task, or what the watchdog could not learn. */
export type ConnectorState =
  'RUNNING' | 'FAILED' | 'PAUSED' | 'STOPPED' | 'UNASSIGNED' | 'RESTARTING' | 'UNKNOWN';

/** Observation is one look at the pipeline. */
export interface Observation {
  /** at is the time of the observation (ms since the epoch). */
  at: number;
  /** workerUp: the worker process runs and its REST API answered. */
  workerUp: boolean;
  /** workerId changes when the worker is another process (a pid locally); a new worker gets a fresh grace. */
  workerId?: string;
  kafkaUp: boolean;
  /** connector is undefined when the connector is not registered (nothing to watch). */
  connector?: { state: ConnectorState; tasks: ConnectorState[] };
  /** slot is undefined when PostgreSQL did not answer or the slot does not exist. */
  slot?: { active: boolean; activePid: number | null; confirmedLsn: bigint; walLsn: bigint };
}

/** Remedy is an action of the ladder. */
export type Remedy = 'restart-connector' | 'restart-worker';

/**
 * Decision is what to do after an observation; `reason` explains it in one line. `stuck` is the liveness verdict:
 * true when the connector is judged not streaming (a remedy is due, or one is under way without progress yet).
 */
export type Decision =
  | { kind: 'ok' | 'wait'; reason: string; stuck: boolean }
  | { kind: 'act'; remedy: Remedy; reason: string; stuck: true; terminatePid?: number };

/** WatchdogSettings tune the policy (defaults in defaultWatchdogSettings). */
export interface WatchdogSettings {
  /** stallMs: how long WAL may wait unconfirmed, with Kafka and the worker up, before the connector is judged stuck. */
  stallMs: number;
  /** graceMs: how long a remedy has to show progress before the next one. */
  graceMs: number;
  /** backoffMs: the pause before the ladder starts again after its last remedy; doubles up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
}

/**
 * defaultWatchdogSettings: 40 s is four connector heartbeats (10 s), so a healthy connector always moves the slot
 * within it; 45 s covers a restarted task that finds its predecessor's walsender still exiting (slot retries every
 * 2 s), while a task that has to wait out the orphan's JMX names (2 x 60 s) is cheaper to fix with a new worker.
 */
export const defaultWatchdogSettings: WatchdogSettings = {
  stallMs: 40_000,
  graceMs: 45_000,
  backoffMs: 60_000,
  maxBackoffMs: 10 * 60_000,
};

/** WatchdogState is what the policy remembers between observations. */
export interface WatchdogState {
  /** progressAt: the last time the slot was seen caught up or moving. */
  progressAt: number;
  lastConfirmedLsn?: bigint;
  /** kafkaSince / workerSince: since when each has been seen up continuously (undefined: down now). */
  kafkaSince?: number;
  workerSince?: number;
  workerId?: string;
  /** rung is the next remedy's index in the ladder; lastActionAt the time of the last remedy. */
  rung: number;
  lastActionAt?: number;
  /** notBefore holds the ladder back after a full round (backoff). */
  notBefore?: number;
  backoffMs: number;
}

const ladder: readonly Remedy[] = ['restart-connector', 'restart-worker'];

/** initialState starts with no history: the first stall is counted from `now`. */
export function initialState(
  now: number,
  settings: WatchdogSettings = defaultWatchdogSettings,
): WatchdogState {
  return { progressAt: now, rung: 0, backoffMs: settings.backoffMs };
}

/**
 * decide updates the state with an observation and says what to do. The caller performs an `act` decision and
 * then calls `acted` so the grace and the ladder advance.
 */
export function decide(
  previous: WatchdogState,
  obs: Observation,
  settings: WatchdogSettings = defaultWatchdogSettings,
): { state: WatchdogState; decision: Decision } {
  const state: WatchdogState = { ...previous };
  state.kafkaSince = obs.kafkaUp ? (previous.kafkaSince ?? obs.at) : undefined;
  const sameWorker = obs.workerUp && previous.workerSince !== undefined && previous.workerId === obs.workerId;
  state.workerSince = obs.workerUp ? (sameWorker ? previous.workerSince : obs.at) : undefined;
  state.workerId = obs.workerUp ? obs.workerId : undefined;

  const slot = obs.slot;
  if (slot) {
    const moved = previous.lastConfirmedLsn !== undefined && slot.confirmedLsn !== previous.lastConfirmedLsn;
    // Caught up (nothing to confirm) counts as progress: an idle database is not a stuck connector.
    if (moved || slot.walLsn <= slot.confirmedLsn) state.progressAt = obs.at;
    state.lastConfirmedLsn = slot.confirmedLsn;
  }

  const healthy = (reason: string) => {
    // Progress after a remedy: the ladder starts from its mildest step next time, with the first backoff.
    if (state.rung > 0 || state.notBefore !== undefined) {
      state.rung = 0;
      state.notBefore = undefined;
      state.backoffMs = settings.backoffMs;
    }
    return { state, decision: { kind: 'ok', reason, stuck: false } as Decision };
  };
  const wait = (reason: string, stuck = false) => ({
    state,
    decision: { kind: 'wait', reason, stuck } as Decision,
  });

  if (!obs.workerUp) return wait('worker not running or not answering: nothing to judge');
  if (!obs.connector) return wait('connector not registered: nothing to watch');
  if (obs.connector.state === 'PAUSED' || obs.connector.state === 'STOPPED') {
    state.progressAt = obs.at; // paused on purpose: not a stall, and the clock starts when it resumes
    return healthy(`connector ${obs.connector.state} on purpose`);
  }
  if (!obs.kafkaUp)
    return wait('Kafka not reachable: the connector cannot progress, and no remedy would help');

  const failed = obs.connector.state === 'FAILED' || obs.connector.tasks.includes('FAILED');
  const upSince = Math.max(state.progressAt, state.kafkaSince ?? obs.at, state.workerSince ?? obs.at);
  const stalledMs = obs.at - upSince;
  const lagBytes = slot ? slot.walLsn - slot.confirmedLsn : undefined;

  let problem: string | undefined;
  if (failed) {
    problem = `connector ${obs.connector.state}, tasks ${obs.connector.tasks.join(',') || 'none'}`;
  } else if (slot && stalledMs >= settings.stallMs) {
    problem =
      `slot ${slot.active ? `held by pid ${slot.activePid}` : 'inactive'}, confirmed_flush_lsn unchanged for ` +
      `${Math.round((obs.at - state.progressAt) / 1000)} s with ${lagBytes} bytes of WAL behind it ` +
      `(Kafka up ${Math.round((obs.at - (state.kafkaSince ?? obs.at)) / 1000)} s, REST says ${obs.connector.state}/` +
      `${obs.connector.tasks.join(',') || 'no task'})`;
  }
  if (!problem) {
    if (!slot) return wait('replication slot not visible: cannot judge progress');
    // Only movement proves streaming; a fresh worker or Kafka without it yet is merely not judged.
    if (state.progressAt === obs.at) return healthy('streaming');
    return wait(`no slot progress for ${Math.round((obs.at - state.progressAt) / 1000)} s, not judged yet`);
  }

  if (state.lastActionAt !== undefined && obs.at - state.lastActionAt < settings.graceMs) {
    return wait(`${problem}; giving the last remedy its grace`, true);
  }
  if (state.notBefore !== undefined && obs.at < state.notBefore) {
    return wait(
      `${problem}; every remedy tried, backing off ${Math.round((state.notBefore - obs.at) / 1000)} s more`,
      true,
    );
  }
  if (state.notBefore !== undefined) {
    state.notBefore = undefined;
    state.rung = 0;
  }
  const remedy = ladder[Math.min(state.rung, ladder.length - 1)] ?? 'restart-connector';
  const terminatePid =
    remedy === 'restart-connector' && slot?.active && slot.activePid !== null ? slot.activePid : undefined;
  return { state, decision: { kind: 'act', remedy, reason: problem, stuck: true, terminatePid } };
}

/** acted records a performed remedy: its grace starts now, and the ladder moves on (or backs off after the last step). */
export function acted(
  state: WatchdogState,
  at: number,
  settings: WatchdogSettings = defaultWatchdogSettings,
): WatchdogState {
  const next: WatchdogState = { ...state, lastActionAt: at, rung: state.rung + 1 };
  if (next.rung >= ladder.length) {
    next.notBefore = at + settings.graceMs + state.backoffMs;
    next.backoffMs = Math.min(state.backoffMs * 2, settings.maxBackoffMs);
  }
  return next;
}

/** parseLsn turns PostgreSQL's `X/Y` LSN text into a number of bytes. */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-Fa-f]+)\/([0-9A-Fa-f]+)$/.exec(text.trim());
  if (!match) throw new Error(`not an LSN: ${text}`);
  return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
}
