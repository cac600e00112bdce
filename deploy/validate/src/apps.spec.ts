import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// The local stack's port table is the reference for every deployment's defaults.
// eslint-disable-next-line @nx/enforce-module-boundaries
import * as stack from '../../../tools/stack/services';
import { apps, gateway, services } from './apps';
import { repoRoot } from './paths';

describe('the deployment app table', () => {
  it('lists exactly the apps of the workspace', () => {
    const onDisk = readdirSync(join(repoRoot, 'apps')).filter((d) =>
      existsSync(join(repoRoot, 'apps', d, 'project.json')),
    );
    expect(apps.map((a) => a.name).sort()).toEqual(onDisk.sort());
  });

  it('uses the local stack ports, schemas and roles', () => {
    expect(services.map((s) => [s.name, s.schema, s.dbRole, s.grpcPort, s.adminPort])).toEqual(
      stack.services.map((s) => [s.name, s.schema, s.role, s.grpcPort, s.adminPort]),
    );
    // The gateway serves no gRPC (REST and admin only), so only its admin port is shared with the stack's table.
    expect(gateway.adminPort).toBe(stack.gateway.adminPort);
  });
});
