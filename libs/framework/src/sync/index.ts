// sync: cluster-wide locks and leader election (see sync.ts), PostgreSQL advisory locks by default.
export * from './sync';
export * from './pg.sync';
