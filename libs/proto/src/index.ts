// @blog/proto: the generated contracts, one namespace per proto package.
// Everything under ./gen is produced by `nx run proto:generate` (buf + ts-proto) and never edited by hand.
export * as auth from './gen/blog/auth/v1/auth';
export * as user from './gen/blog/user/v1/user';
export * as blog from './gen/blog/blog/v1/blog';
export * as post from './gen/blog/post/v1/post';
export * as visitor from './gen/blog/visitor/v1/visitor';
export * as subscribe from './gen/blog/subscribe/v1/subscribe';
export * as events from './events';

import { join } from 'node:path';

/**
 * descriptorSetPath is a FileDescriptorSet of every proto file (written by `buf build` beside package.json),
 * used to serve gRPC server reflection without shipping .proto files.
 */
export const descriptorSetPath = join(__dirname, '..', 'descriptors.binpb');
export * from './topics';
export * from './rules';
export * from './event-descriptor';
export * from './event-types';
// The rich error model (google.rpc.Status with BadRequest/ErrorInfo details in the grpc-status-details-bin trailer).
export { Status as RpcStatus } from './gen/google/rpc/status';
export { BadRequest, BadRequest_FieldViolation, ErrorInfo } from './gen/google/rpc/error_details';
