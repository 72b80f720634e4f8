// `expert validate <dir>...`: checks expert package folders (manifest, adapter config vs tensors,
// metadata) and lists every problem; exits 1 when any package is invalid.
import type { Command } from 'commander';
import { validateExpertDir, type PackageReport } from '../../lib/experts/package-validate.ts';
import { printJson } from '../run-cli.ts';

function printReport(report: PackageReport): void {
	const id = report.name ? `${report.name}@${report.version}` : '?';
	const detail = report.tensors === null ? '' : `, ${report.tensors} tensors`;
	process.stdout.write(`${report.status === 'invalid' ? 'FAIL' : 'ok  '} ${report.dir}  ${id}  ${report.status}${detail}\n`);
	for (const problem of report.problems) process.stderr.write(`  - ${problem}\n`);
}

export function registerValidateCommand(program: Command): void {
	program
		.command('validate')
		.description('Check expert package folders: manifest.json schema, adapter_config.json vs adapter_model.safetensors shapes, metadata.json. A folder with only manifest.json is valid ("manifest only").')
		.argument('<dir...>', 'package folders, e.g. experts/*')
		.option('--json', 'print the reports as JSON')
		.action(async (dirs: string[], flags: { json?: boolean }) => {
			const reports = await Promise.all(dirs.map((dir) => validateExpertDir(dir)));
			const invalid = reports.filter((report) => report.status === 'invalid');
			if (flags.json) printJson({ valid: invalid.length === 0, packages: reports });
			else {
				reports.forEach(printReport);
				const problems = invalid.reduce((sum, report) => sum + report.problems.length, 0);
				if (invalid.length > 0) process.stderr.write(`${invalid.length} of ${reports.length} packages invalid (${problems} problems)\n`);
			}
			if (invalid.length > 0) process.exitCode = 1;
		});
}
