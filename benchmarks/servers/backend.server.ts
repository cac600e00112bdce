// The six downstream services as the gateway's tests run them (apps/api-gateway/src/testing/fake-backend.ts: real
// grpc-js servers with the framework's server interceptors over an in-memory world), with one blog to read.
import { randomUUID } from 'node:crypto';
import { blog } from '@blog/proto';
import { FakeBackend } from '../../apps/api-gateway/src/testing/fake-backend';
import { announce } from '../support/child';

async function main(): Promise<void> {
  const backend = await FakeBackend.start();
  const blogId = randomUUID();
  backend.world.blogs.set(blogId, {
    blogId,
    ownerId: randomUUID(),
    slug: 'bench-blog',
    title: 'A blog to read',
    description: 'Read by the throughput benchmarks.',
    status: blog.BlogStatus.BLOG_STATUS_ACTIVE,
    postCount: 3,
    subscriberCount: 7,
    createdAt: new Date().toISOString(),
  });
  // The counters of every call would grow without bound under load: nobody reads them here.
  setInterval(() => backend.reset(), 1000).unref();
  announce({ env: backend.env, blogId });
}

void main();
