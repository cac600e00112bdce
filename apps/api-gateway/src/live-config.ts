// Dynamic config of the gateway: CONFIG_FILE (NAME=value lines, JSON, or a mounted ConfigMap folder) over the
// environment, followed by the framework while the gateway runs (runHttpService). GATEWAY_RELOADABLE (config.ts)
// apply at once: the log level (the framework's), the rate limits, the breaker thresholds and the downstream
// deadlines (here). A bad value is refused with one log line naming the variable and the previous value stays; a
// change to anything else waits for a restart (framework config/live-config).
import type { LiveConfig } from '@blog/framework/core';
import { liveSettingsOf, type GatewayConfig } from './config';
import type { Gateway } from './gateway';

/**
 * applyLiveSettings puts the reloadable settings in force now (the deadline factor included) and again on every
 * accepted reload of the file.
 */
export function applyLiveSettings(
  gateway: Pick<Gateway, 'reconfigure'>,
  live: LiveConfig<GatewayConfig>,
): void {
  gateway.reconfigure(liveSettingsOf(live.current()));
  live.onChange((next) => gateway.reconfigure(liveSettingsOf(next)));
}
