import { status } from '@grpc/grpc-js';
import CircuitBreaker from 'opossum';
import PrometheusMetrics from 'opossum-prometheus';
import type { Logger } from 'pino';
import { Gauge, type Registry as MetricsRegistry } from 'prom-client';
import {
  type BreakerOptions,
  BreakerOpenError,
  type BreakerState,
  countsAsFailure,
  serviceError,
} from './breaker';

/** BreakersOptions: the breaker tuning plus where state changes are logged and exported. */
export interface BreakersOptions extends BreakerOptions {
  /** logger receives one line per state change. */
  logger: Logger;
  /** metrics is the service's own prom-client registry; opossum-prometheus and the state gauge register there. */
  metrics?: MetricsRegistry;
}

/** The breaker's action runs whatever call it is given: one breaker per endpoint serves every call to it. */
type Action = () => Promise<unknown>;
type EndpointBreaker = CircuitBreaker<[Action], unknown>;

// opossum-prometheus registers fixed metric names, so there must be exactly one instance per prom-client registry.
const exporters = new WeakMap<MetricsRegistry, PrometheusMetrics>();
const STATE_VALUE: Record<BreakerState, number> = { closed: 0, halfOpen: 1, open: 2 };

/**
 * optionsOf is opossum's live options object (public at runtime, documented by opossum as `circuit.options`, absent
 * from @types/opossum): the fields below are read when the breaker decides, so changing them reconfigures it.
 */
function optionsOf(breaker: EndpointBreaker): {
  timeout: number;
  errorThresholdPercentage: number;
  resetTimeout: number;
} {
  return (
    breaker as unknown as {
      options: { timeout: number; errorThresholdPercentage: number; resetTimeout: number };
    }
  ).options;
}

/**
 * Breakers keeps one opossum breaker per endpoint (`service.Method`), created on first use and reused for every later
 * call: a breaker made per call would never see more than one outcome and could never open.
 *
 * Its timeout sits `timeoutMarginMs` above the call's gRPC deadline, so the deadline fires first and the caller gets a
 * real DEADLINE_EXCEEDED (counted as a failure); opossum's timeout is only the backstop for a call that hangs anyway.
 */
export class Breakers {
  private readonly breakers = new Map<string, EndpointBreaker>();
  private readonly openedAt = new Map<string, number>();
  private resetTimeoutMs: number;
  private errorThresholdPercentage: number;
  private volumeThreshold: number;
  private readonly stateGauge?: Gauge<'name'>;
  private readonly exporter?: PrometheusMetrics;

  constructor(private readonly options: BreakersOptions) {
    this.resetTimeoutMs = options.resetTimeoutMs ?? 10_000;
    this.errorThresholdPercentage = options.errorThresholdPercentage ?? 50;
    this.volumeThreshold = options.volumeThreshold ?? 5;
    const metrics = options.metrics;
    if (metrics) {
      // Without opossum's latency summary: grpc_client_duration_seconds (the metrics wrapper) times the same calls
      // as a histogram, and the summary's t-digest cost a few percent of a gateway pass-through's CPU.
      this.exporter =
        exporters.get(metrics) ??
        new PrometheusMetrics({ registry: metrics, exposePerformanceMetrics: false });
      exporters.set(metrics, this.exporter);
      this.stateGauge =
        (metrics.getSingleMetric('circuit_state') as Gauge<'name'> | undefined) ??
        new Gauge({
          name: 'circuit_state',
          help: 'State of each circuit breaker: 0 closed, 1 half-open, 2 open',
          labelNames: ['name'],
          registers: [metrics],
        });
    }
  }

  /** fire runs `action` through the breaker of `endpoint`, translating the breaker's own refusals to gRPC errors. */
  async fire<T>(endpoint: string, deadlineMs: number, action: () => Promise<T>): Promise<T> {
    const breaker = this.get(endpoint, deadlineMs);
    try {
      return (await breaker.fire(action)) as T;
    } catch (err) {
      switch ((err as { code?: unknown }).code) {
        case 'EOPENBREAKER':
          throw new BreakerOpenError(endpoint, this.retryAfterMs(endpoint));
        case 'ETIMEDOUT':
          throw serviceError(status.DEADLINE_EXCEEDED, `${endpoint}: ${(err as Error).message}`);
        case 'ESEMLOCKED':
        case 'ESHUTDOWN':
          throw serviceError(status.UNAVAILABLE, `${endpoint}: ${(err as Error).message}`);
        default:
          throw err;
      }
    }
  }

  /** get returns the breaker of `endpoint`, creating it once. */
  get(endpoint: string, deadlineMs: number): EndpointBreaker {
    let breaker = this.breakers.get(endpoint);
    if (!breaker) {
      breaker = this.create(endpoint, deadlineMs);
      this.breakers.set(endpoint, breaker);
    }
    // The backstop follows the call's deadline, which a reconfigured client may have changed.
    optionsOf(breaker).timeout = deadlineMs + (this.options.timeoutMarginMs ?? 250);
    return breaker;
  }

  /** state reports the state of an endpoint's breaker (closed when it was never used). */
  state(endpoint: string): BreakerState {
    const breaker = this.breakers.get(endpoint);
    if (!breaker || breaker.closed) return 'closed';
    return breaker.halfOpen ? 'halfOpen' : 'open';
  }

  /** retryAfterMs is how long until an open breaker lets its half-open probe through (0 when not open). */
  retryAfterMs(endpoint: string): number {
    const since = this.openedAt.get(endpoint);
    if (since === undefined || this.state(endpoint) !== 'open') return 0;
    return Math.max(0, since + this.resetTimeoutMs - Date.now());
  }

  /**
   * reconfigure changes the thresholds of every breaker, present and future, keeping each one's state and counts:
   * opossum reads `options.errorThresholdPercentage` and `options.resetTimeout` when it decides, and the volume
   * threshold through the `volumeThreshold` getter, which each breaker here answers from this object (see create).
   */
  reconfigure(
    changes: Pick<BreakerOptions, 'errorThresholdPercentage' | 'volumeThreshold' | 'resetTimeoutMs'>,
  ): void {
    this.errorThresholdPercentage = changes.errorThresholdPercentage ?? this.errorThresholdPercentage;
    this.volumeThreshold = changes.volumeThreshold ?? this.volumeThreshold;
    this.resetTimeoutMs = changes.resetTimeoutMs ?? this.resetTimeoutMs;
    for (const breaker of this.breakers.values()) {
      const options = optionsOf(breaker);
      options.errorThresholdPercentage = this.errorThresholdPercentage;
      options.resetTimeout = this.resetTimeoutMs;
    }
  }

  /** shutdown stops every breaker's timers. */
  shutdown(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
    this.breakers.clear();
  }

  private create(endpoint: string, deadlineMs: number): EndpointBreaker {
    const { logger } = this.options;
    const breaker: EndpointBreaker = new CircuitBreaker((action: Action) => action(), {
      name: endpoint,
      timeout: deadlineMs + (this.options.timeoutMarginMs ?? 250),
      resetTimeout: this.resetTimeoutMs,
      errorThresholdPercentage: this.errorThresholdPercentage,
      volumeThreshold: this.volumeThreshold,
      rollingCountTimeout: this.options.rollingWindowMs ?? 10_000,
      // Returning true means "not a failure": business answers prove the callee works.
      errorFilter: (err: unknown) => !countsAsFailure(err),
    });
    // The volume threshold follows reconfigure: opossum keeps it under a private symbol read through this getter.
    Object.defineProperty(breaker, 'volumeThreshold', {
      get: () => this.volumeThreshold,
      configurable: true,
    });
    const changed = (state: BreakerState) => this.stateGauge?.set({ name: endpoint }, STATE_VALUE[state]);
    changed('closed');
    breaker.on('open', () => {
      this.openedAt.set(endpoint, Date.now());
      changed('open');
      logger.warn({ endpoint, resetTimeoutMs: this.resetTimeoutMs }, 'circuit breaker opened');
    });
    breaker.on('halfOpen', () => {
      changed('halfOpen');
      logger.info({ endpoint }, 'circuit breaker half-open: letting one probe through');
    });
    breaker.on('close', () => {
      changed('closed');
      logger.info({ endpoint }, 'circuit breaker closed');
    });
    // After our listeners, so opossum-prometheus (which counts the events that have listeners) sees halfOpen too.
    this.exporter?.add(breaker);
    return breaker;
  }
}
