import { describe, expect, it } from 'vitest';
import { loadStackConfig, type StackInfo } from '../stack';
import { appSpecs, replicasFrom } from './apps';

const info: StackInfo = {
  kafkaBrokers: ['127.0.0.1:9092'],
  connectUrl: 'http://127.0.0.1:8083',
  connectorName: 'debezium-outbox',
  adminDatabaseUrl: 'postgres://postgres:x@127.0.0.1:15432/blog',
  databaseUrls: {
    auth: 'postgres://auth_svc:a@127.0.0.1:15432/blog',
    user: 'postgres://user_svc:u@127.0.0.1:15432/blog',
    blog: 'postgres://blog_svc:b@127.0.0.1:15432/blog',
    post: 'postgres://post_svc:p@127.0.0.1:15432/blog',
    visitor: 'postgres://visitor_svc:v@127.0.0.1:15432/blog',
    subscribe: 'postgres://subscribe_svc:s@127.0.0.1:15432/blog',
  },
  certsDir: '/tmp/stack/certs',
  kafkaUsers: Object.fromEntries(
    ['auth', 'user', 'blog', 'post', 'visitor', 'subscribe', 'debezium', 'blog-tools', 'admin'].map(
      (user) => [user, { mechanism: 'scram-sha-512' as const, username: user, password: `${user}-kafka` }],
    ),
  ),
};

describe('appSpecs', () => {
  const specs = appSpecs(loadStackConfig({ GATEWAY_PORT: '8181' }), info, {});

  it('starts the six services, then the gateway', () => {
    expect(specs.map((s) => s.name)).toEqual([
      'auth',
      'user',
      'blog',
      'post',
      'visitor',
      'subscribe',
      'api-gateway',
    ]);
  });

  it('gives each service its ports, its own DATABASE_URL, the brokers and its own Kafka user', () => {
    const user = specs.find((s) => s.name === 'user');
    expect(user?.env).toMatchObject({
      GRPC_PORT: '7052',
      ADMIN_PORT: '9102',
      DATABASE_URL: info.databaseUrls.user,
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_USERNAME: 'user',
      KAFKA_PASSWORD: 'user-kafka',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      GRPC_HOST: '127.0.0.1',
    });
    expect(user?.ports).toEqual([7052, 9102]);
  });

  it('tells every app where every service listens', () => {
    for (const spec of specs) {
      expect(spec.env).toMatchObject({
        AUTH_SERVICE_ADDR: '127.0.0.1:7051',
        USER_SERVICE_ADDR: '127.0.0.1:7052',
        BLOG_SERVICE_ADDR: '127.0.0.1:7053',
        POST_SERVICE_ADDR: '127.0.0.1:7054',
        VISITOR_SERVICE_ADDR: '127.0.0.1:7055',
        SUBSCRIBE_SERVICE_ADDR: '127.0.0.1:7056',
      });
    }
  });

  it('gives the gateway its REST port from GATEWAY_PORT and no database', () => {
    const gateway = specs.at(-1);
    expect(gateway?.name).toBe('api-gateway');
    expect(gateway?.env).toMatchObject({ ADMIN_PORT: '9100', GATEWAY_PORT: '8181' });
    expect(gateway?.env, 'the gateway serves no gRPC').not.toHaveProperty('GRPC_PORT');
    expect(gateway?.env).not.toHaveProperty('DATABASE_URL');
    expect(gateway?.env).not.toHaveProperty('KAFKA_PASSWORD');
    expect(gateway?.ports).toEqual([9100, 8181]);
  });

  it('keeps a GRPC_HOST the developer set', () => {
    expect(appSpecs(loadStackConfig({}), info, { GRPC_HOST: '0.0.0.0' })[0]?.env['GRPC_HOST']).toBe(
      '0.0.0.0',
    );
  });

  it('binds the gateway REST and admin ports to the loopback interface, unless GATEWAY_HOST says otherwise', () => {
    expect(specs.at(-1)?.env['GATEWAY_HOST']).toBe('127.0.0.1');
    expect(appSpecs(loadStackConfig({}), info, { GATEWAY_HOST: '0.0.0.0' }).at(-1)?.env['GATEWAY_HOST']).toBe(
      '0.0.0.0',
    );
  });
});

describe('appSpecs with replicas', () => {
  const scaled = appSpecs(loadStackConfig({}), info, {}, 2);

  it('runs two instances of each service, ports +10, and one gateway', () => {
    expect(scaled.map((s) => s.instance)).toEqual([
      'auth',
      'auth.2',
      'user',
      'user.2',
      'blog',
      'blog.2',
      'post',
      'post.2',
      'visitor',
      'visitor.2',
      'subscribe',
      'subscribe.2',
      'api-gateway',
    ]);
    const second = scaled.find((s) => s.instance === 'user.2');
    expect(second).toMatchObject({ name: 'user', ports: [7062, 9112] });
    expect(second?.env).toMatchObject({
      GRPC_PORT: '7062',
      ADMIN_PORT: '9112',
      DATABASE_URL: info.databaseUrls.user,
    });
  });

  it("lists every instance in every caller's service address (the static registry)", () => {
    for (const spec of scaled) {
      expect(spec.env['USER_SERVICE_ADDR']).toBe('127.0.0.1:7052,127.0.0.1:7062');
      expect(spec.env['SUBSCRIBE_SERVICE_ADDR']).toBe('127.0.0.1:7056,127.0.0.1:7066');
    }
  });

  it('refuses a replica count out of range in one line naming the flag or variable', () => {
    expect(replicasFrom([], {})).toBe(1);
    expect(replicasFrom(['--replicas', '3'], {})).toBe(3);
    expect(replicasFrom(['--replicas=2'], { REPLICAS: '5' })).toBe(2);
    expect(replicasFrom([], { REPLICAS: '4' })).toBe(4);
    expect(() => replicasFrom(['--replicas', 'two'], {})).toThrow(
      '--replicas=two is not a replica count: give a whole number from 1 to 9',
    );
    expect(() => replicasFrom([], { REPLICAS: '0' })).toThrow('REPLICAS=0 is not a replica count');
    expect(() => replicasFrom(['--replicas'], {})).toThrow('--replicas needs a count');
    expect(() => replicasFrom([], { REPLICAS: '10' })).toThrow('REPLICAS=10 is not a replica count');
    expect(() => appSpecs(loadStackConfig({}), info, {}, 0)).toThrow(
      'replicas must be a whole number from 1 to 9',
    );
  });
});

describe('trace export (the stack Zipkin)', () => {
  const config = loadStackConfig({ ZIPKIN_PORT: '9511' });
  it("points every app at the stack's Zipkin by default", () => {
    for (const spec of appSpecs(config, info, {})) {
      expect(spec.env).toMatchObject({
        OTEL_TRACES_EXPORTER: 'zipkin',
        OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://127.0.0.1:9511/api/v2/spans',
      });
    }
  });
  it('exports nothing with STACK_ZIPKIN=0, and leaves a choice of the developer alone', () => {
    for (const spec of appSpecs(config, info, { STACK_ZIPKIN: '0' })) {
      expect(spec.env['OTEL_TRACES_EXPORTER']).toBe('none');
      expect(spec.env['OTEL_EXPORTER_ZIPKIN_ENDPOINT']).toBeUndefined();
    }
    const own = appSpecs(config, info, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
    for (const spec of own) expect(spec.env['OTEL_TRACES_EXPORTER']).toBeUndefined();
  });
});
