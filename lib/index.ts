export * from './shared';
export * from './api-service';
export * from './platform';
