export * from './tensor';
export * from './params';
export * from './lstm';
export * from './adam';
export * from './dense';
export * from './models';
export * from './stateDict';
export * from './records';
