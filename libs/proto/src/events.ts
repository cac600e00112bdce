// Every event payload, flattened into one namespace (the files under blog/events/v1 share a proto package).
export * from './gen/blog/events/v1/metadata';
export * from './gen/blog/events/v1/account';
export * from './gen/blog/events/v1/user';
export * from './gen/blog/events/v1/blog';
export * from './gen/blog/events/v1/post';
export * from './gen/blog/events/v1/subscription';
export * from './gen/blog/events/v1/visitor';
