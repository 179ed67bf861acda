/** The library API: the same functions the CLI uses. */
export * from './types.js';
export type * from './analysis/result.js';
export { VERSION } from './version.js';
