#!/usr/bin/env node
// Launcher for the `expert-gen` CLI: lets Node load the TypeScript sources, then runs src/cli/expert-gen.ts.
import { register } from 'tsx/esm/api';

register();
await import('./expert-gen.ts');
