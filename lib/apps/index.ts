/** Applications served behind the edge. */
export * from './echo-app';
