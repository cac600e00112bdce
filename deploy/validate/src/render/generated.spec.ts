import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBootstrapSql } from '../bootstrap-sql';
import { parseConnector, readConnector } from '../connector';
import { deployPaths } from '../paths';
import { parseYamlDocs } from '../yaml';
import { eventTopicNames, kafkaConnectorFor, renderGenerated } from './render';

const rendered = () =>
  renderGenerated({
    connector: readConnector(),
    topics: eventTopicNames(),
    bootstrapSql: readBootstrapSql(),
  });

describe('deploy/k8s/base/generated', () => {
  it.each(['kafka-connector.yaml', 'kafka-topics.yaml', 'kafka-users.yaml', 'postgres-bootstrap.yaml'])(
    '%s equals a fresh rendering of its source (run `npx nx run deploy:render` after changing the source)',
    (name) => {
      const path = join(deployPaths.k8sGenerated, name);
      expect(existsSync(path), `${path} is missing`).toBe(true);
      expect(readFileSync(path, 'utf8')).toBe(rendered()[name]);
    },
  );

  it('detects a committed connector that drifted from the JSON', () => {
    const source = readConnector();
    const drifted = parseConnector({
      name: source.name,
      config: { ...source.config, 'slot.name': 'another_slot' },
    });
    const committed = parseYamlDocs(
      readFileSync(join(deployPaths.k8sGenerated, 'kafka-connector.yaml'), 'utf8'),
    );
    expect(committed).toEqual([kafkaConnectorFor(source)]);
    expect(committed).not.toEqual([kafkaConnectorFor(drifted)]);
  });

  it('maps connector.class and tasks.max onto KafkaConnector fields and keeps every other key verbatim', () => {
    const doc = kafkaConnectorFor(
      parseConnector({
        name: 'x',
        config: { 'connector.class': 'C', 'tasks.max': '2', 'a.b': '${env:DEBEZIUM_X}' },
      }),
    );
    expect(doc.spec).toEqual({
      class: 'C',
      tasksMax: 2,
      autoRestart: { enabled: true },
      config: { 'a.b': '${env:DEBEZIUM_X}' },
    });
  });

  it('rejects a connector file whose values are not strings', () => {
    expect(() => parseConnector({ name: 'x', config: { 'tasks.max': 1 } })).toThrow(/must be a string/);
  });
});
