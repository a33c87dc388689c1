#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx's loader, so there is no build step between a
// `git clone` and a working `ringwatch` command.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
