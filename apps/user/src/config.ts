// The user service's environment: the shared variables and the data plane's (DATABASE_URL, KAFKA_BROKERS, ...).
import { baseConfig, dataConfig } from '@blog/framework';
import type { z } from 'zod';

/** userConfig is the schema of the user service's environment. */
export const userConfig = baseConfig({ grpcPort: 7052, adminPort: 9102 }).extend(dataConfig.shape);

/** UserConfig is the loaded user configuration. */
export type UserConfig = z.output<typeof userConfig>;
