import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStackConfig } from './config';
import { renderTemplate } from './templates';

describe('renderTemplate', () => {
  it('fills placeholders and leaves ${...} (log4j, config providers) alone', () => {
    expect(renderTemplate('a={{ a }}\nb={{b}}\nc=${env:X}', { a: 1, b: 'two' })).toBe(
      'a=1\nb=two\nc=${env:X}',
    );
  });

  it('refuses a placeholder without a value', () => {
    expect(() => renderTemplate('x={{missing}}', {})).toThrow('{{missing}}');
  });

  it('renders the broker and worker templates of deploy/local completely', () => {
    const config = loadStackConfig({});
    const values = {
      kafkaPort: 9092,
      controllerPort: 9093,
      dataDir: '/d',
      connectPort: 8083,
      pluginPath: '/p',
      adminPassword: 'a',
      kafkaUser: 'debezium',
      kafkaPassword: 'd',
    };
    for (const file of ['broker.properties', 'connect-distributed.properties']) {
      const rendered = renderTemplate(readFileSync(join(config.deployDir, file), 'utf8'), values);
      expect(rendered).not.toMatch(/\{\{/);
    }
  });
});
