// health: grpc.health.v1 and server reflection on the gRPC port; /healthz, /readyz and /metrics on the admin port.
//
//   const health = new GrpcHealth(['blog.user.v1.UserService']); health.addToServer(server); health.setServing(true);
//   addReflection(server, { descriptorSetPath, services: ['blog.user.v1.UserService'] });
//   const admin = await startAdminServer({ host, port: 9102, metrics, readiness: () => checkReadiness(checks) });
export * from './health';
export * from './grpc-health';
export * from './reflection';
export * from './admin-server';
