export * from './store';
export * from './pg-store';
export * from './migrate';
export * from './framework-tables';
export * from './unique-violation';
export * from './database-errors';
