// Registers the expert-package commands (validate, resolve, route) on the `expert` CLI.
import type { Command } from 'commander';
import { registerResolveCommand } from './resolve.ts';
import { registerRouteCommand } from './route.ts';
import { registerValidateCommand } from './validate.ts';

export function registerExpertPackageCommands(program: Command): void {
	registerValidateCommand(program);
	registerResolveCommand(program);
	registerRouteCommand(program);
}
