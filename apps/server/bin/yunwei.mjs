#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader: no build step for the server (see docs/adr/0001).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
