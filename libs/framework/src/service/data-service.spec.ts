import { describe, expect, it } from 'vitest';
import { checkConsumedTopics } from './data-service';

describe('checkConsumedTopics', () => {
  it('accepts handlers that read exactly the declared topics, in any order', () => {
    expect(() =>
      checkConsumedTopics('blog', ['events.a', 'events.b'], ['events.b', 'events.a']),
    ).not.toThrow();
    expect(() => checkConsumedTopics('probe', [], [])).not.toThrow();
  });

  it('names a topic a handler reads that the catalog does not list, and one listed that nobody reads', () => {
    expect(() => checkConsumedTopics('blog', ['events.a', 'events.c'], ['events.a', 'events.b'])).toThrow(
      'blog: its handlers read events.b, which its catalog entry does not list; its catalog entry lists events.c, ' +
        'which no handler reads (libs/catalog/src/services/blog.ts `consumes`)',
    );
  });
});
