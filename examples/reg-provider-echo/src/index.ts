export { echo } from './echo-provider.js';
export type { EchoOptions } from './echo-options.js';
