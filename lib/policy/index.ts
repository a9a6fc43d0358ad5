export * from './rules-catalog';
export * from './exemptions';
export * from './rules';
export * from './gate';
