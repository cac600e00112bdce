import type { Deadline } from '@grpc/grpc-js';

/** MethodPath is a gRPC path split into its service and method, e.g. "blog.user.v1.UserService" and "GetUser". */
export interface MethodPath {
  readonly service: string;
  readonly method: string;
}

/** splitPath splits "/pkg.Service/Method" into service and method names. */
export function splitPath(path: string): MethodPath {
  const [service = '', method = ''] = path.replace(/^\//, '').split('/');
  return { service, method };
}

/** deadlineMs returns a grpc-js Deadline as epoch milliseconds (Infinity for none). */
export function deadlineMs(deadline: Deadline): number {
  return deadline instanceof Date ? deadline.getTime() : deadline;
}
