// Dynamic config of the gateway: CONFIG_FILE (NAME=value lines, JSON, or a mounted ConfigMap folder) over the
// environment, followed while the gateway runs. GATEWAY_RELOADABLE (config.ts) apply at once: the log level, the rate
// limits, the breaker thresholds and the downstream deadlines. A bad value is refused with one log line naming the
// variable and the previous value stays; a change to anything else waits for a restart (framework config/live-config).
import { followConfig, type LiveConfig, type Logger } from '@blog/framework/core';
import type { Registry as MetricsRegistry } from 'prom-client';
import { GATEWAY_RELOADABLE, gatewayConfig, liveSettingsOf, type GatewayConfig } from './config';
import type { Gateway } from './gateway';

/** FollowOptions say where the live source is; the environment is the one the config was loaded from. */
export interface FollowOptions {
  readonly file?: string;
  readonly env?: Record<string, string | undefined>;
  readonly logger: Logger;
  readonly metrics?: MetricsRegistry;
  /** pollMs: how often the file is read (framework default 1000). */
  readonly pollMs?: number;
}

/** followGatewayConfig applies every accepted reload of the file to the running gateway. */
export function followGatewayConfig(
  gateway: Pick<Gateway, 'reconfigure'>,
  config: GatewayConfig,
  options: FollowOptions,
): LiveConfig<GatewayConfig> {
  const live = followConfig(gatewayConfig, config, { ...options, reloadable: GATEWAY_RELOADABLE });
  live.onChange((next, changed) => {
    // Child loggers inherit the root's level unless they set their own, so one assignment reaches them all.
    if (changed.includes('LOG_LEVEL')) options.logger.level = next.LOG_LEVEL;
    gateway.reconfigure(liveSettingsOf(next));
  });
  return live;
}
