// The user service's environment: the shared variables and the data plane's (DATABASE_URL, KAFKA_BROKERS, ...).
import { serviceNamed } from '@blog/catalog';
import { baseConfig, dataConfig } from '@blog/framework';
import type { z } from 'zod';

/** userConfig is the schema of the user service's environment. */
export const userConfig = baseConfig(serviceNamed('user')).extend(dataConfig.shape);

/** UserConfig is the loaded user configuration. */
export type UserConfig = z.output<typeof userConfig>;
