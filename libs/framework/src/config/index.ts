// config: typed configuration from the environment (zod), checked once at start-up.
//
//   const schema = baseConfig({ grpcPort: 7052, adminPort: 9102 }).extend({ DATABASE_URL: z.url() });
//   const config = loadConfig(schema); // throws ConfigError listing every bad variable
export * from './config';
export * from './base.config';
