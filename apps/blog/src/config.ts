// The blog service's environment: the shared variables and the data plane's (DATABASE_URL, KAFKA_BROKERS, ...).
import { serviceNamed } from '@blog/catalog';
import { baseConfig, dataConfig } from '@blog/framework';
import type { z } from 'zod';

/** blogConfig is the schema of the blog service's environment. */
export const blogConfig = baseConfig(serviceNamed('blog')).extend(dataConfig.shape);

/** BlogConfig is the loaded blog configuration. */
export type BlogConfig = z.output<typeof blogConfig>;
