export * from './shared';
export * from './api-service';
export * from './delivery';
export * from './data-tier';
export * from './platform';
export * from './observability';
export * from './backup';
