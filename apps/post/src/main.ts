// Entry point of the post service: wiring only. Handlers live in server.ts, everything else in @blog/framework.
import { baseConfig, packageVersion, runService } from '@blog/framework';
import { post } from '@blog/proto';
import { postHandlers } from './server';

void runService({
  name: 'post',
  version: packageVersion(__dirname),
  config: baseConfig({ grpcPort: 50054, adminPort: 9104 }),
  services: [{ definition: post.PostServiceService, implementation: postHandlers }],
});
