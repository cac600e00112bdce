// One BlogService with one handler (GetBlog from an in-memory map), served two ways, chosen by the first argument:
//   bare        a plain grpc-js Server and a plain (call, callback) implementation;
//   framework   the framework's server (createGrpcServer: its interceptor chain, logging at LOG_LEVEL, metrics,
//               request context, deadline, error mapping) and addService's adapter, as every service runs it.
// The handler and its data are the same object in both, so the difference is the framework's per-call cost.
import { randomUUID } from 'node:crypto';
import {
  addService,
  bindServer,
  createGrpcServer,
  createLogger,
  createMetricsRegistry,
  unimplemented,
} from '@blog/framework/core';
import { blog } from '@blog/proto';
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall, status } from '@grpc/grpc-js';
import { announce } from '../support/child';

const blogId = randomUUID();
const blogs = new Map<string, blog.Blog>([
  [
    blogId,
    {
      blogId,
      ownerId: randomUUID(),
      slug: 'bench-blog',
      title: 'A blog to read',
      description: 'Read by the gRPC benchmark.',
      status: blog.BlogStatus.BLOG_STATUS_ACTIVE,
      postCount: 3,
      subscriberCount: 7,
      createdAt: new Date().toISOString(),
    },
  ],
]);

/** getBlog is the shared handler: a lookup, found or not. */
function getBlog(request: blog.GetBlogRequest): blog.GetBlogResponse | undefined {
  const found = blogs.get(request.blogId);
  return found ? { blog: found } : undefined;
}

async function main(): Promise<void> {
  const kind = process.argv[2] === 'framework' ? 'framework' : 'bare';
  let port: number;
  if (kind === 'bare') {
    const server = new Server();
    server.addService(blog.BlogServiceService, {
      getBlog: (
        call: ServerUnaryCall<blog.GetBlogRequest, blog.GetBlogResponse>,
        callback: sendUnaryData<blog.GetBlogResponse>,
      ) => {
        const answer = getBlog(call.request);
        if (answer) callback(null, answer);
        else callback({ code: status.NOT_FOUND, details: 'blog not found' });
      },
    } as never);
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
  } else {
    const logger = createLogger({
      service: 'blog',
      version: 'bench',
      level: process.env['LOG_LEVEL'] || 'info',
    });
    const metrics = createMetricsRegistry('blog', 'bench');
    const server = createGrpcServer({ logger, metrics, maxDeadlineMs: 0 });
    addService(
      server,
      {
        definition: blog.BlogServiceService,
        implementation: {
          ...unimplemented(blog.BlogServiceService),
          getBlog: async (request: blog.GetBlogRequest) => {
            const answer = getBlog(request);
            if (!answer) throw Object.assign(new Error('blog not found'), { code: status.NOT_FOUND });
            return answer;
          },
        } as never,
      },
      logger,
    );
    port = await bindServer(server, '127.0.0.1', 0);
  }
  announce({ port, blogId });
}

void main();
