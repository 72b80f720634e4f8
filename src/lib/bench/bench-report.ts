// Writes benchmark results as bench-results/<stamp>.json and .md (plus latest.json / latest.md),
// atomically (temp file + rename).
import { writeTextAtomically } from '../write-atomically-fs.ts';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchSuiteResult } from './bench-suite.ts';

export interface BenchReport {
	createdAt: string;
	host: { platform: string; cpus: string; cores: number; memoryGiB: number; node: string };
	suites: BenchSuiteResult[];
}

export function newReport(suites: BenchSuiteResult[]): BenchReport {
	const cpus = os.cpus();
	return {
		createdAt: new Date().toISOString(),
		host: {
			platform: `${os.platform()} ${os.release()}`,
			cpus: cpus[0]?.model ?? 'unknown',
			cores: cpus.length,
			memoryGiB: Math.round(os.totalmem() / 2 ** 30),
			node: process.version
		},
		suites
	};
}

function formatValue(value: number): string {
	return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

export function reportMarkdown(report: BenchReport): string {
	const lines = [
		`# Benchmark report`,
		'',
		`${report.createdAt} · ${report.host.cpus} × ${report.host.cores} · ${report.host.memoryGiB} GiB · Node ${report.host.node}`,
		''
	];
	for (const suite of report.suites) {
		lines.push(`## ${suite.suite}`, '');
		for (const [key, value] of Object.entries(suite.environment)) lines.push(`- ${key}: ${value}`);
		lines.push('', '| metric | value | unit | target | met |', '|---|---:|---|---|---|');
		for (const m of suite.metrics)
			lines.push(
				`| ${m.name} | ${formatValue(m.value)} | ${m.unit} | ${m.target ?? ''} | ${m.met === undefined ? '' : m.met ? 'yes' : 'NO'} |`
			);
		for (const table of suite.tables) {
			lines.push(
				'',
				`### ${table.title}`,
				'',
				`| ${table.columns.join(' | ')} |`,
				`|${table.columns.map(() => '---').join('|')}|`
			);
			for (const row of table.rows)
				lines.push(`| ${row.map((c) => (typeof c === 'number' ? formatValue(c) : c)).join(' | ')} |`);
		}
		if (suite.notes.length) lines.push('', ...suite.notes.map((n) => `- ${n}`));
		lines.push('');
	}
	return lines.join('\n');
}

/** Writes the report files; returns their paths. */
export async function writeReport(report: BenchReport, dir: string): Promise<{ json: string; markdown: string }> {
	await mkdir(dir, { recursive: true });
	const stamp = report.createdAt.replace(/[:.]/g, '-');
	const json = JSON.stringify(report, null, 2);
	const markdown = reportMarkdown(report);
	const paths = { json: path.join(dir, `${stamp}.json`), markdown: path.join(dir, `${stamp}.md`) };
	await writeTextAtomically(paths.json, json);
	await writeTextAtomically(paths.markdown, markdown);
	await writeTextAtomically(path.join(dir, 'latest.json'), json);
	await writeTextAtomically(path.join(dir, 'latest.md'), markdown);
	return paths;
}
