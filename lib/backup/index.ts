export * from './backup-job';
export * from './backup-policy';
export * from './backup-policy-props';
export * from './backup-rules';
export * from './config-backup';
