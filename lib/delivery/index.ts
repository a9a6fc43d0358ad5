export * from './delivery-props';
export * from './analysis';
export * from './progressive-rollout';
export * from './diff';
