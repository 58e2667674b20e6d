export { main } from './cli/main.js';
export type { CliContext } from './cli/context.js';
export { EXIT } from './cli/exit-codes.js';
