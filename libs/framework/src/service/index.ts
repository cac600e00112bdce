// service: one call wires a whole microservice (config, logs, metrics, tracing, gRPC server, health, reflection,
// admin port, components) and stops it gracefully.
//
//   // apps/user/src/main.ts
//   void runService({
//     name: 'user',
//     version: packageVersion(__dirname),
//     config: baseConfig({ grpcPort: 7052, adminPort: 9102 }),
//     services: [{ definition: user.UserServiceService, implementation: userHandlers }],
//   });
export * from './service';
export * from './create-service';
export * from './run-service';
export * from './version';
export * from './data-plane';
export * from './data-service';
