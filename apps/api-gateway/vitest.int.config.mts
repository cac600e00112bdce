// Integration tests of the gateway (`*.int.spec.ts`): against real infrastructure it starts itself (redis-server).
//   npx vitest run -c vitest.int.config.mts      (or: npx nx run api-gateway:test-int)
import { projectConfig } from '../../vitest.shared.mts';

export default projectConfig({ include: ['src/**/*.int.spec.ts'], exclude: [] });
