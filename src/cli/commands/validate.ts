// `expert validate <dir>...`: checks expert package folders (manifest, adapter config vs tensors,
// metadata) and an experts folder's sets/ (each set parses and names packages that are there), and lists
// every problem; exits 1 when anything is invalid.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EXPERT_SETS_FOLDER, readExpertSets } from '../../lib/experts/expert-set-fs.ts';
import { readRegistry } from '../../lib/experts/package-fs.ts';
import { validateExpertDir, type PackageReport } from '../../lib/classify/package-validate-fs.ts';
import { printJson } from '../run-cli.ts';

function printReport(report: PackageReport): void {
	const id =
		report.version === 'set' ? `expert set ${report.name}` : report.name ? `${report.name}@${report.version}` : '?';
	const detail = report.tensors === null ? '' : `, ${report.tensors} tensors`;
	process.stdout.write(
		`${report.status === 'invalid' ? 'FAIL' : 'ok  '} ${report.dir}  ${id}  ${report.status}${detail}\n`
	);
	for (const problem of report.problems) process.stderr.write(`  - ${problem}\n`);
}

/** One report per set file of `<experts>/sets`: it parses, and every expert it stacks is a package beside it. */
async function validateSetsDir(dir: string): Promise<PackageReport[]> {
	const expertsDir = path.dirname(dir);
	const { sets, skipped } = await readExpertSets(expertsDir);
	const known = new Set(
		(await readRegistry(expertsDir, () => {})).map((manifest) => `${manifest.name}@${manifest.version}`)
	);
	const reports: PackageReport[] = skipped.map(({ file, problem }) => ({
		dir: file,
		name: null,
		version: null,
		status: 'invalid',
		tensors: null,
		problems: [problem]
	}));
	for (const set of sets.values()) {
		const members = [...set.experts, ...set.routed].map((expert) => `${expert.name}@${expert.version}`);
		const problems = members
			.filter((id) => !known.has(id))
			.map((id) => `@${set.name} stacks ${id}, which is not a package in ${expertsDir} (re-run expert tune)`);
		reports.push({
			dir: path.join(dir, `${set.name}.json`),
			name: `@${set.name}`,
			version: 'set',
			status: problems.length ? 'invalid' : 'valid',
			tensors: null,
			problems
		});
	}
	return reports;
}

const isSetsDir = (dir: string) =>
	path.basename(path.resolve(dir)) === EXPERT_SETS_FOLDER && !existsSync(path.join(dir, 'manifest.json'));

export function registerValidateCommand(program: Command): void {
	program
		.command('validate')
		.description(
			'Check expert package folders: manifest.json schema, adapter_config.json vs adapter_model.safetensors shapes, metadata.json. A folder with only manifest.json is valid ("manifest only").'
		)
		.argument('<dir...>', 'package folders, e.g. experts/* (experts/sets is checked as expert sets)')
		.option('--json', 'print the reports as JSON')
		.action(async (dirs: string[], flags: { json?: boolean }) => {
			const reports = (
				await Promise.all(
					dirs.map((dir) => (isSetsDir(dir) ? validateSetsDir(dir) : validateExpertDir(dir).then((report) => [report])))
				)
			).flat();
			const invalid = reports.filter((report) => report.status === 'invalid');
			if (flags.json) printJson({ valid: invalid.length === 0, packages: reports });
			else {
				reports.forEach(printReport);
				const problems = invalid.reduce((sum, report) => sum + report.problems.length, 0);
				if (invalid.length > 0)
					process.stderr.write(`${invalid.length} of ${reports.length} packages invalid (${problems} problems)\n`);
			}
			if (invalid.length > 0) process.exitCode = 1;
		});
}
