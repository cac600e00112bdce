// config: typed configuration from the environment and a config file (zod), checked at start-up; the file is
// followed and a declared set of variables reloads live (live-config.ts).
//
//   const schema = baseConfig({ grpcPort: 7052, adminPort: 9102 }).extend({ DATABASE_URL: z.url() });
//   const config = loadConfig(schema); // throws ConfigError listing every bad variable
//   const live = watchConfig(schema, { file: process.env.CONFIG_FILE, reloadable: ['LOG_LEVEL'], logger });
//   live.onChange((next, changed) => ...);
export * from './config';
export * from './base.config';
export * from './sources';
export * from './live-config';
