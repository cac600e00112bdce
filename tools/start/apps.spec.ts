import { describe, expect, it } from 'vitest';
import { loadStackConfig, type StackInfo } from '../stack';
import { appSpecs } from './apps';

const info: StackInfo = {
  kafkaBrokers: ['127.0.0.1:9092'],
  connectUrl: 'http://127.0.0.1:8083',
  connectorName: 'debezium-outbox',
  adminDatabaseUrl: 'postgres://postgres:x@127.0.0.1:55432/blog',
  databaseUrls: {
    auth: 'postgres://auth_svc:a@127.0.0.1:55432/blog',
    user: 'postgres://user_svc:u@127.0.0.1:55432/blog',
    blog: 'postgres://blog_svc:b@127.0.0.1:55432/blog',
    post: 'postgres://post_svc:p@127.0.0.1:55432/blog',
    visitor: 'postgres://visitor_svc:v@127.0.0.1:55432/blog',
    subscribe: 'postgres://subscribe_svc:s@127.0.0.1:55432/blog',
  },
};

describe('appSpecs', () => {
  const specs = appSpecs(loadStackConfig({ GATEWAY_PORT: '8181' }), info, {});

  it('starts the six services, then the gateway', () => {
    expect(specs.map((s) => s.name)).toEqual(['auth', 'user', 'blog', 'post', 'visitor', 'subscribe', 'api-gateway']);
  });

  it('gives each service its ports, its own DATABASE_URL and the brokers', () => {
    const user = specs.find((s) => s.name === 'user');
    expect(user?.env).toMatchObject({
      GRPC_PORT: '50052',
      ADMIN_PORT: '9102',
      DATABASE_URL: info.databaseUrls.user,
      KAFKA_BROKERS: '127.0.0.1:9092',
      GRPC_HOST: '127.0.0.1',
    });
    expect(user?.ports).toEqual([50052, 9102]);
  });

  it('tells every app where every service listens', () => {
    for (const spec of specs) {
      expect(spec.env).toMatchObject({
        AUTH_SERVICE_ADDR: '127.0.0.1:50051',
        USER_SERVICE_ADDR: '127.0.0.1:50052',
        BLOG_SERVICE_ADDR: '127.0.0.1:50053',
        POST_SERVICE_ADDR: '127.0.0.1:50054',
        VISITOR_SERVICE_ADDR: '127.0.0.1:50055',
        SUBSCRIBE_SERVICE_ADDR: '127.0.0.1:50056',
      });
    }
  });

  it('gives the gateway its REST port from GATEWAY_PORT and no database', () => {
    const gateway = specs.at(-1);
    expect(gateway?.name).toBe('api-gateway');
    expect(gateway?.env).toMatchObject({ GRPC_PORT: '50050', ADMIN_PORT: '9100', GATEWAY_PORT: '8181' });
    expect(gateway?.env).not.toHaveProperty('DATABASE_URL');
    expect(gateway?.ports).toEqual([50050, 9100, 8181]);
  });

  it('keeps a GRPC_HOST the developer set', () => {
    expect(appSpecs(loadStackConfig({}), info, { GRPC_HOST: '0.0.0.0' })[0]?.env['GRPC_HOST']).toBe('0.0.0.0');
  });
});
