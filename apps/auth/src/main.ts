// Entry point of the auth service: wiring only. Handlers live in server.ts, everything else in @blog/framework.
import { baseConfig, packageVersion, runService } from '@blog/framework';
import { auth } from '@blog/proto';
import { authHandlers } from './server';

void runService({
  name: 'auth',
  version: packageVersion(__dirname),
  config: baseConfig({ grpcPort: 50051, adminPort: 9101 }),
  services: [{ definition: auth.AuthServiceService, implementation: authHandlers }],
});
