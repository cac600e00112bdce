// Entry point of the blog service: wiring only. Handlers live in server.ts, everything else in @blog/framework.
import { baseConfig, packageVersion, runService } from '@blog/framework';
import { blog } from '@blog/proto';
import { blogHandlers } from './server';

void runService({
  name: 'blog',
  version: packageVersion(__dirname),
  config: baseConfig({ grpcPort: 50053, adminPort: 9103 }),
  services: [{ definition: blog.BlogServiceService, implementation: blogHandlers }],
});
