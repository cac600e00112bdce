// visitor: view statistics.
import { defineService } from '../entry';

/** visitor is the catalog entry of the visitor service. */
export const visitor = defineService({
  name: 'visitor',
  summary: 'View statistics.',
  schema: 'visitor',
  grpcPort: 7055,
  adminPort: 9105,
  consumes: ['events.blog.blog'],
  callers: ['api-gateway'],
  deploy: {
    settings: [
      {
        name: 'VIEW_BATCH_MAX',
        value: '500',
        comment:
          'View batching: the most views one transaction records, and the longest a view waits for its batch.',
      },
      { name: 'VIEW_BATCH_DELAY_MS', value: '5' },
    ],
  },
});
