export * from './media-ai-platform';
export * from './platform-namespace';
export * from './synth';
export * from './helm';
export * from './prerequisites';
export * from './priority-classes';
