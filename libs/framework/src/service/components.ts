import type { Logger } from '../telemetry';
import type { Component } from './service';

/** startComponents starts components in order; if one fails, those already started are stopped and the error thrown. */
export async function startComponents(components: readonly Component[], logger: Logger): Promise<void> {
  const started: Component[] = [];
  for (const component of components) {
    try {
      await component.start?.();
    } catch (error) {
      logger.error({ err: error, component: component.name }, 'component failed to start');
      await stopComponents(started, logger);
      throw error;
    }
    started.push(component);
    logger.debug({ component: component.name }, 'component started');
  }
}

/** stopComponents stops components in reverse order; a failure is logged and the others still stop. */
export async function stopComponents(components: readonly Component[], logger: Logger): Promise<void> {
  for (const component of [...components].reverse()) {
    try {
      await component.stop?.();
      logger.debug({ component: component.name }, 'component stopped');
    } catch (error) {
      logger.error({ err: error, component: component.name }, 'component failed to stop');
    }
  }
}
