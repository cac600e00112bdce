// gRPC server reflection (v1 and v1alpha) from the FileDescriptorSet @blog/proto ships, so grpcurl and grpcui can
// list and call the services without .proto files. Only the services this server hosts are listed.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Server } from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer, loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { HEALTH_SERVICE } from './grpc-health';

/** ReflectionOptions configure addReflection. */
export interface ReflectionOptions {
  /** Path of a binary FileDescriptorSet (`buf build -o x.binpb`), e.g. descriptorSetPath from @blog/proto. */
  readonly descriptorSetPath: string;
  /** Fully-qualified names of the services to list (the health service is added). */
  readonly services: readonly string[];
}

/** addReflection registers grpc.reflection.v1 and v1alpha on the server. */
export function addReflection(server: Server, options: ReflectionOptions): void {
  const contracts = loadFileDescriptorSetFromBuffer(readFileSync(options.descriptorSetPath));
  // Loaded by its import path (not the absolute one) so reflection names the file health/v1/health.proto.
  const health = loadSync('health/v1/health.proto', {
    includeDirs: [resolve(dirname(healthProtoPath), '../..')],
  });
  const definitions: PackageDefinition = { ...contracts, ...health };
  // @grpc/reflection is typed against an older proto-loader; the PackageDefinition shape is the same.
  const reflection = new ReflectionService(
    definitions as ConstructorParameters<typeof ReflectionService>[0],
    {
      services: [...options.services, HEALTH_SERVICE],
    },
  );
  reflection.addToServer(server);
}
