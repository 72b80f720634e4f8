// Fetches Debian 12 source packages for training data: adds the bookworm deb-src entry when it is missing
// (from the first stanza of debian.sources), runs `apt-get source --download-only`, unpacks the tarballs, and
// refuses any package whose upstream is reserved for independent evaluation (../shared/eval-reserved.md).
import { execFile as execFileCallback } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ExpertError } from '../errors.ts';

const execFile = promisify(execFileCallback);
const SOURCES_DIR = '/etc/apt/sources.list.d';
const DEB_SRC_FILE = path.join(SOURCES_DIR, 'debian-src.sources');

export interface FetchedSourcePackage {
	name: string;
	version: string;
	/** The unpacked tree (upstream source with the debian/ folder inside). */
	root: string;
	/** `Source:` of debian/copyright (the upstream's address), or "" when it has none. */
	upstream: string;
	/** The licence of the package's first `Files: *` stanza in debian/copyright. */
	licence: string;
}

/** Projects of eval-reserved.md: `owner/name` lines under "GitHub projects", plus the Debian packages it names. */
export function reservedProjects(reservedFile: string): { github: string[]; debianPackages: string[] } {
	const text = readFileSync(reservedFile, 'utf8');
	const github = [...text.matchAll(/^- ([\w.-]+\/[\w.-]+)\s*$/gm)].map((m) => m[1].toLowerCase());
	const debianPackages = [...text.matchAll(/Debian source package `([^`]+)`/g)].map((m) => m[1]);
	return { github, debianPackages };
}

/** Project names too generic to stand for a reserved project as a folder name ("examples", "base", "json"…). */
const GENERIC_PROJECT_NAMES = new Set([
	'examples',
	'base',
	'json',
	'toolkit',
	'pencil',
	'serv',
	'panda',
	'druid',
	'stringr',
	'ky',
	'v',
	'red',
	'zod',
	'mojo'
]);

/**
 * Folder names that stand for a reserved project inside another package (a vendored copy or a port: maxima's
 * share/lapack is LAPACK translated to Lisp): each reserved repository's name, when it is not a generic word.
 */
export function reservedFolderNames(reserved: readonly string[]): Set<string> {
	return new Set(
		reserved
			.map((project) => project.split('/')[1].toLowerCase())
			.filter((name) => name.length >= 2 && !GENERIC_PROJECT_NAMES.has(name))
	);
}

/** The reserved project a package's debian/ metadata points at, or null. */
export function reservedUpstreamOf(debianFolderTexts: readonly string[], reserved: readonly string[]): string | null {
	const haystack = debianFolderTexts.join('\n').toLowerCase();
	for (const project of reserved) {
		const [owner, name] = project.split('/');
		const pattern = new RegExp(
			`(github\\.com|gitlab\\.com)[/:]${escapeRegExp(owner)}/${escapeRegExp(name)}(\\.git)?([/#?\\s"']|$)`,
			'm'
		);
		if (pattern.test(haystack)) return project;
	}
	return null;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Adds the bookworm deb-src stanza (same mirror and key as the binary one) and updates the lists, once. */
/** Source packages of the binary packages installed on this machine: their files are reserved (eval-reserved.md). */
export async function installedSourcePackages(): Promise<Set<string>> {
	const { stdout } = await execFile('dpkg-query', ['-W', '-f', '${db:Status-Abbrev}\t${source:Package}\n'], {
		maxBuffer: 64 * 1024 * 1024
	});
	return new Set(
		stdout
			.split('\n')
			.filter((line) => line.startsWith('ii'))
			.map((line) => line.split('\t')[1].trim())
	);
}

export async function ensureDebSrc(): Promise<void> {
	const existing = readdirSync(SOURCES_DIR).some((f) => /deb-src/.test(readSafe(path.join(SOURCES_DIR, f))));
	if (existing) return;
	const binary = readSafe(path.join(SOURCES_DIR, 'debian.sources')).split(/\n\s*\n/)[0];
	if (!binary.includes('Types: deb'))
		throw new ExpertError(
			'deb-src-missing',
			`no deb-src entry and no ${SOURCES_DIR}/debian.sources to copy one from: add a bookworm deb-src entry by hand`
		);
	const stanza = binary
		.split('\n')
		.filter((line) => !line.startsWith('#'))
		.map((line) =>
			line.startsWith('Types:') ? 'Types: deb-src' : line.startsWith('Suites:') ? 'Suites: bookworm' : line
		)
		.join('\n');
	writeFileSync(DEB_SRC_FILE, `${stanza}\n`);
	await execFile('apt-get', ['update', '-q'], { maxBuffer: 64 * 1024 * 1024 });
}

function readSafe(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

function licenceOf(copyright: string): string {
	const stanza = copyright.split(/\n\s*\n/).find((s) => /^Files:\s*\*\s*$/m.test(s));
	return stanza?.match(/^License:\s*(.+)$/m)?.[1].trim() ?? 'see debian/copyright';
}

const LICENCE_HEADINGS: ReadonlyArray<[RegExp, string]> = [
	[/GNU LESSER GENERAL PUBLIC LICENSE\s+Version 2\.1/i, 'LGPL-2.1'],
	[/GNU LESSER GENERAL PUBLIC LICENSE\s+Version 3/i, 'LGPL-3'],
	[/GNU GENERAL PUBLIC LICENSE\s+Version 2/i, 'GPL-2'],
	[/GNU GENERAL PUBLIC LICENSE\s+Version 3/i, 'GPL-3'],
	[/Apache License[\s,]+Version 2\.0/i, 'Apache-2.0'],
	[/\bMIT License\b|Permission is hereby granted, free of charge/i, 'MIT'],
	[/Redistribution and use in source and binary forms/i, 'BSD'],
	[/Eclipse Public License/i, 'EPL'],
	[/Mozilla Public License/i, 'MPL-2.0']
];

/** Without debian/copyright: the licence named by the upstream's LICENSE / COPYING file. */
function upstreamLicence(root: string): string {
	const file = existsSync(root) ? readdirSync(root).find((f) => /^(LICEN[CS]E|COPYING)(\.\w+)?$/i.test(f)) : undefined;
	if (!file) return 'unknown (no debian/copyright on the mirror, no LICENSE file)';
	const text = readSafe(path.join(root, file)).slice(0, 4000);
	const known = LICENCE_HEADINGS.find(([pattern]) => pattern.test(text));
	return known ? `${known[1]} (upstream ${file})` : `see upstream ${file}`;
}

/**
 * Downloads and unpacks one source package under `cacheDir/<name>/` (kept: a second call reuses it) and
 * checks its debian/copyright `Source:`, debian/watch and debian/upstream/metadata against the reserved projects.
 */
export async function fetchSourcePackage(
	name: string,
	cacheDir: string,
	reserved: readonly string[]
): Promise<FetchedSourcePackage> {
	const dir = path.join(cacheDir, name);
	const root = path.join(dir, 'tree');
	if (!existsSync(path.join(dir, 'done'))) {
		rmSync(dir, { recursive: true, force: true });
		const download = path.join(dir, 'download');
		mkdirSync(download, { recursive: true });
		try {
			await execFile('apt-get', ['source', '--download-only', '-q', name], {
				cwd: download,
				maxBuffer: 64 * 1024 * 1024
			});
		} catch (error) {
			// The mirror may lack the Debian tarball of an older upload; the upstream one and the .dsc suffice.
			if (
				!readdirSync(download).some((f) => f.endsWith('.dsc')) ||
				!readdirSync(download).some((f) => /\.orig\.tar\.|^[^_]+_[^-]+\.tar\./.test(f))
			) {
				rmSync(dir, { recursive: true, force: true });
				throw new ExpertError(
					'source-download-failed',
					`apt-get source ${name} failed: ${String((error as { stderr?: string }).stderr ?? error)
						.trim()
						.split('\n')
						.pop()}`
				);
			}
		}
		const files = readdirSync(download);
		const dsc = files.find((f) => f.endsWith('.dsc'));
		const tarballs = files.filter(
			(f) => /\.(orig(-[\w-]+)?|debian)\.tar\.\w+$|\.tar\.\w+$/.test(f) && !f.endsWith('.asc')
		);
		const staging = path.join(dir, 'staging');
		mkdirSync(staging, { recursive: true });
		// The upstream tarball first, the debian tarball over it (as dpkg-source does).
		for (const tarball of tarballs.sort((a, b) => Number(a.includes('.debian.')) - Number(b.includes('.debian.')))) {
			const into = tarball.includes('.debian.') ? staging : path.join(staging, 'upstream');
			mkdirSync(into, { recursive: true });
			await execFile('tar', ['-xf', path.join(download, tarball), '-C', into], { maxBuffer: 16 * 1024 * 1024 });
		}
		const upstreamDir = path.join(staging, 'upstream');
		const inner = existsSync(upstreamDir) ? readdirSync(upstreamDir) : [];
		const upstreamRoot = inner.length === 1 ? path.join(upstreamDir, inner[0]) : upstreamDir;
		if (existsSync(upstreamRoot)) renameSync(upstreamRoot, root);
		else mkdirSync(root, { recursive: true });
		if (existsSync(path.join(staging, 'debian'))) {
			rmSync(path.join(root, 'debian'), { recursive: true, force: true });
			renameSync(path.join(staging, 'debian'), path.join(root, 'debian'));
		}
		const dscText = dsc ? readFileSync(path.join(download, dsc), 'utf8') : '';
		const version = dscText.match(/^Version:\s*(\S+)/m)?.[1] ?? '';
		writeFileSync(path.join(dir, 'dsc'), dscText);
		rmSync(staging, { recursive: true, force: true });
		rmSync(download, { recursive: true, force: true });
		writeFileSync(path.join(dir, 'version'), version);
		writeFileSync(path.join(dir, 'done'), '');
	}
	const debianTexts = ['copyright', 'watch', 'upstream/metadata', 'control'].map((f) =>
		readSafe(path.join(root, 'debian', f))
	);
	debianTexts.push(readSafe(path.join(dir, 'dsc')));
	const hit = reservedUpstreamOf(debianTexts, reserved);
	if (hit) {
		rmSync(dir, { recursive: true, force: true });
		throw new ExpertError(
			'reserved-project',
			`source package ${name} is built from ${hit}, which ../shared/eval-reserved.md reserves for evaluation: removed`
		);
	}
	const copyright = debianTexts[0];
	const homepage = debianTexts[4].match(/^Homepage:\s*(.+)$/m)?.[1].trim() ?? '';
	return {
		name,
		version: readSafe(path.join(dir, 'version')).trim(),
		root,
		upstream: copyright.match(/^Source:\s*(.+)$/m)?.[1].trim() || homepage,
		licence: copyright ? licenceOf(copyright) : upstreamLicence(root)
	};
}
