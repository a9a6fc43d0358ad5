/** The grammars of the fields our props land in, each implemented once and named after its rule. */
export * from './names';
export * from './quantity';
export * from './duration';
export * from './cron';
export * from './promql';
export * from './network';
export * from './image-reference';
export * from './credentials';
export * from './props';
