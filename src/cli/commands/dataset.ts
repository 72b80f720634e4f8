// The `expert-gen dataset` command group: create, stats, validate, split, and the language-id data.
import { Command } from 'commander';
import { registerDatasetCreateCommand } from './dataset-create.ts';
import { registerDatasetStatsCommand } from './dataset-stats.ts';
import { registerDatasetValidateCommand } from './dataset-validate.ts';
import { registerDatasetSplitCommand } from './dataset-split.ts';
import { registerDatasetLanguageIdCommand } from './dataset-language-id.ts';
import { registerDatasetLanguageFeaturesCommand } from './dataset-language-features.ts';

export function registerDatasetCommand(program: Command): void {
	const group = new Command('dataset').description('create, inspect, validate and split JSONL training datasets');
	registerDatasetCreateCommand(group);
	registerDatasetStatsCommand(group);
	registerDatasetValidateCommand(group);
	registerDatasetSplitCommand(group);
	registerDatasetLanguageIdCommand(group);
	registerDatasetLanguageFeaturesCommand(group);
	program.addCommand(group);
}
