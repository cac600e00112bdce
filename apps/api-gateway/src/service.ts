// The gateway as a service on the framework's lifecycle (runHttpService): its config, the gateway assembled from it,
// the reloadable settings applied on every accepted change of CONFIG_FILE, and /readyz from the downstream health.
import { createRegistry, grpcSecurity, packageVersion, type HttpServiceOptions } from '@blog/framework/core';
import { GATEWAY_RELOADABLE, gatewayConfig, settingsOf, type GatewayConfig } from './config';
import { createGateway } from './gateway';
import { applyLiveSettings } from './live-config';

/** gatewayService returns the gateway's options; `overrides` replace any of them (tests: env, logDestination). */
export function gatewayService(
  overrides: Partial<HttpServiceOptions<GatewayConfig>> = {},
): HttpServiceOptions<GatewayConfig> {
  return {
    name: 'api-gateway',
    version: packageVersion(__dirname),
    config: gatewayConfig,
    reloadable: GATEWAY_RELOADABLE,
    adminHost: (config) => config.GATEWAY_HOST,
    async setup({ config, live, logger, metrics, version }) {
      const gateway = await createGateway({
        logger,
        metrics,
        registry: createRegistry(),
        version,
        settings: settingsOf(config),
        // The gateway's own certificate for every downstream call (TLS_* variables; GRPC_INSECURE=true off).
        security: grpcSecurity('api-gateway', config, logger),
      });
      applyLiveSettings(gateway, live);
      return {
        components: [
          {
            name: 'http',
            start: async () =>
              void (await gateway.app.listen({ host: config.GATEWAY_HOST, port: config.GATEWAY_PORT })),
            stop: () => gateway.close(),
          },
        ],
        readiness: () => gateway.readiness.report(),
      };
    },
    ...overrides,
  };
}
