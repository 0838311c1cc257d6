#!/usr/bin/env -S node --lite-mode --no-expose-wasm --max-semi-space-size=1
// Runs the TypeScript sources as they are (no build step on the host). tsx's CommonJS hook runs in
// this thread; its ESM loader would start a loader thread costing ~15 MB more, for a process that
// should stay small for months. The node flags (also in the systemd unit: see src/systemd.ts) keep
// the resident agent ~12 MB smaller and cheaper: a 15-second tick needs no optimising compiler.
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
createRequire(import.meta.url)('../src/main.ts');
