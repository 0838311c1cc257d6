export * from './standard.js';
export type * from './types.js';
