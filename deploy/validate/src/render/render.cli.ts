// `npx nx run deploy:render`: rewrites deploy/k8s/base/generated/ from the single sources.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBootstrapSql } from '../bootstrap-sql';
import { readConnector } from '../connector';
import { deployPaths } from '../paths';
import { eventTopicNames, renderGenerated } from './render';

const files = renderGenerated({
  connector: readConnector(),
  topics: eventTopicNames(),
  bootstrapSql: readBootstrapSql(),
});
mkdirSync(deployPaths.k8sGenerated, { recursive: true });
for (const [name, content] of Object.entries(files)) {
  writeFileSync(join(deployPaths.k8sGenerated, name), content);
  console.log(`wrote deploy/k8s/base/generated/${name}`);
}
