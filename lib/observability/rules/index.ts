export * from './rule-types';
export * from './slo-rules';
export * from './standard-rules';
