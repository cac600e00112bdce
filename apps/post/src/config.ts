// The post service's environment: the shared variables and the data plane's (DATABASE_URL, KAFKA_BROKERS, ...).
import { serviceNamed } from '@blog/catalog';
import { baseConfig, dataConfig } from '@blog/framework';
import type { z } from 'zod';

/** postConfig is the schema of the post service's environment. */
export const postConfig = baseConfig(serviceNamed('post')).extend(dataConfig.shape);

/** PostConfig is the loaded post configuration. */
export type PostConfig = z.output<typeof postConfig>;
