// Entry point of the user service: wiring only. Handlers live in server.ts, everything else in @blog/framework.
import { baseConfig, packageVersion, runService } from '@blog/framework';
import { user } from '@blog/proto';
import { userHandlers } from './server';

void runService({
  name: 'user',
  version: packageVersion(__dirname),
  config: baseConfig({ grpcPort: 50052, adminPort: 9102 }),
  services: [{ definition: user.UserServiceService, implementation: userHandlers }],
});
