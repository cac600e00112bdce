// Entry point of the visitor service: wiring only. Handlers live in server.ts, everything else in @blog/framework.
import { baseConfig, packageVersion, runService } from '@blog/framework';
import { visitor } from '@blog/proto';
import { visitorHandlers } from './server';

void runService({
  name: 'visitor',
  version: packageVersion(__dirname),
  config: baseConfig({ grpcPort: 50055, adminPort: 9105 }),
  services: [{ definition: visitor.VisitorServiceService, implementation: visitorHandlers }],
});
