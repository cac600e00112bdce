// Entry point of the subscribe service: wiring only. Handlers live in server.ts, everything else in @blog/framework.
import { baseConfig, packageVersion, runService } from '@blog/framework';
import { subscribe } from '@blog/proto';
import { subscribeHandlers } from './server';

void runService({
  name: 'subscribe',
  version: packageVersion(__dirname),
  config: baseConfig({ grpcPort: 50056, adminPort: 9106 }),
  services: [{ definition: subscribe.SubscribeServiceService, implementation: subscribeHandlers }],
});
