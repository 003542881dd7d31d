export * from './config';
export * from './app';
export * from './layers';
export * from './delivery';
