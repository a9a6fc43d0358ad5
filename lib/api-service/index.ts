export * from './api-service';
export * from './api-service-props';
