#!/usr/bin/env node
// Launcher for the `expert` CLI: lets Node load the TypeScript sources, then runs src/cli/expert.ts.
import { register } from 'tsx/esm/api';

register();
await import('./expert.ts');
