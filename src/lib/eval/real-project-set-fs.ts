// Builds and reads the real-project evaluation set (Node only): downloads the pinned Debian packages with
// apt-get download (never installing them), extracts them with dpkg-deb -x, applies the provenance rules
// of real-project-set.ts and writes dir/files/<package>/<path> plus dir/labels.json.
import { execFile as execFileCallback } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
	globToRegExp,
	MAN_STUB,
	MAX_FILE_BYTES,
	MAX_FILES_PER_PACKAGE,
	pickEvenly,
	plannedCount,
	REAL_PROJECT_PACKAGES,
	type ProvenanceRule,
	type RealProjectPackage
} from './real-project-set.ts';

const execFile = promisify(execFileCallback);
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface RealProjectLabel {
	path: string;
	language: string;
	package: string;
	version: string;
}

export interface RealProjectFile {
	path: string;
	fileName: string;
	content: string;
	language: string;
	package: string;
}

function firstLine(error: unknown): string {
	const e = error as { stderr?: string; message?: string };
	const text = (e.stderr ?? '').trim() || (e.message ?? String(error));
	const lines = text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('W: '));
	return (lines.find((line) => line.startsWith('E: ')) ?? lines[0] ?? 'unknown error').trim();
}

async function requireTool(tool: string): Promise<void> {
	try {
		await execFile(tool, ['--version']);
	} catch {
		throw new Error(`${tool} not found: building the real-project set needs a Debian system with apt-get and dpkg-deb`);
	}
}

async function isInstalled(name: string): Promise<boolean> {
	try {
		const { stdout } = await execFile('dpkg-query', ['-W', '-f=${Status}', name]);
		return stdout.includes('install ok installed');
	} catch {
		return false;
	}
}

async function download(pkg: RealProjectPackage, into: string): Promise<string> {
	await mkdir(into, { recursive: true });
	try {
		await execFile('apt-get', ['download', `${pkg.name}=${pkg.version}`], { cwd: into, maxBuffer: 16 * 1024 * 1024 });
	} catch (error) {
		throw new Error(`apt-get download ${pkg.name}=${pkg.version} failed: ${firstLine(error)}`, { cause: error });
	}
	const debs = (await readdir(into)).filter((name) => name.endsWith('.deb'));
	if (debs.length !== 1) throw new Error(`apt-get download ${pkg.name}=${pkg.version} left ${debs.length} .deb files`);
	return path.join(into, debs[0]);
}

async function extract(deb: string, into: string): Promise<void> {
	await mkdir(into, { recursive: true });
	try {
		await execFile('dpkg-deb', ['-x', deb, into], { maxBuffer: 16 * 1024 * 1024 });
	} catch (error) {
		throw new Error(`dpkg-deb -x ${path.basename(deb)} failed: ${firstLine(error)}`, { cause: error });
	}
}

/** Regular files only (symlinks, devices and directories left out), as sorted `/`-separated relative paths. */
async function listRegularFiles(root: string): Promise<string[]> {
	const entries = await readdir(root, { recursive: true, withFileTypes: true });
	return entries
		.filter((e) => e.isFile())
		.map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
		.sort();
}

/** The file's text as the set stores it, or null when the file is not eligible (binary, empty, too big, a man-page link). */
async function eligibleText(full: string, rule: ProvenanceRule): Promise<{ bytes: Uint8Array; name: string } | null> {
	const info = await lstat(full);
	if (!info.isFile() || info.size === 0) return null;
	let bytes: Uint8Array = await readFile(full);
	let name = full;
	if (rule.gunzip) {
		if (!full.endsWith('.gz')) return null;
		try {
			bytes = gunzipSync(bytes);
		} catch {
			return null;
		}
		name = full.slice(0, -3);
	}
	if (bytes.length === 0 || bytes.length > MAX_FILE_BYTES || bytes.includes(0)) return null;
	let text: string;
	try {
		text = utf8.decode(bytes);
	} catch {
		return null;
	}
	if (text.trim() === '') return null;
	if (rule.language === 'Roff Manpage' && MAN_STUB.test(text)) return null;
	return { bytes, name };
}

interface Picked {
	relative: string;
	bytes: Uint8Array;
	language: string;
}

async function pickFiles(pkg: RealProjectPackage, root: string, log: (line: string) => void): Promise<Picked[]> {
	const all = await listRegularFiles(root);
	const claimed = new Set<string>();
	const picked: Picked[] = [];
	for (const rule of pkg.rules) {
		const match = globToRegExp(rule.glob);
		const excludes = (rule.exclude ?? []).map(globToRegExp);
		const candidates: Array<{ relative: string; bytes: Uint8Array }> = [];
		for (const relative of all) {
			if (claimed.has(relative) || !match.test(relative) || excludes.some((x) => x.test(relative))) continue;
			claimed.add(relative);
			const text = await eligibleText(path.join(root, relative), rule);
			if (text)
				candidates.push({ relative: path.relative(root, text.name).split(path.sep).join('/'), bytes: text.bytes });
		}
		if (candidates.length < rule.take)
			log(`  note: ${pkg.name}: ${rule.glob} has ${candidates.length} eligible files, ${rule.take} asked`);
		for (const c of pickEvenly(candidates, rule.take)) picked.push({ ...c, language: rule.language });
	}
	return picked.slice(0, MAX_FILES_PER_PACKAGE);
}

/**
 * Downloads the pinned packages (the real-project set's by default; apt-get download, in a temp folder), extracts them, applies the provenance
 * rules and writes dir/files/<package>/<path> and dir/labels.json. Everything is written to a temp folder
 * next to `dir` and renamed at the end, so a failure leaves no half-written set.
 */
export async function fetchRealProjectSet(
	dir: string,
	log: (line: string) => void = () => {},
	packages: readonly RealProjectPackage[] = REAL_PROJECT_PACKAGES
): Promise<void> {
	await requireTool('apt-get');
	await requireTool('dpkg-deb');
	for (const pkg of packages) {
		if (plannedCount(pkg) > MAX_FILES_PER_PACKAGE)
			throw new Error(`${pkg.name} asks for ${plannedCount(pkg)} files, more than ${MAX_FILES_PER_PACKAGE}`);
	}
	const target = path.resolve(dir);
	await mkdir(path.dirname(target), { recursive: true });
	const work = await mkdtemp(path.join(os.tmpdir(), 'real-project-set-'));
	const staging = await mkdtemp(`${target}.partial-`);
	try {
		const labels: RealProjectLabel[] = [];
		for (const pkg of packages) {
			if (await isInstalled(pkg.name))
				throw new Error(
					`${pkg.name} is installed on this machine; the real-project set only uses packages that are not installed`
				);
			const deb = await download(pkg, path.join(work, 'debs', pkg.name));
			const root = path.join(work, 'x', pkg.name);
			await extract(deb, root);
			const picked = await pickFiles(pkg, root, log);
			for (const file of picked) {
				const out = path.join(staging, 'files', pkg.name, ...file.relative.split('/'));
				await mkdir(path.dirname(out), { recursive: true });
				await writeFile(out, file.bytes);
				labels.push({
					path: `${pkg.name}/${file.relative}`,
					language: file.language,
					package: pkg.name,
					version: pkg.version
				});
			}
			log(`${pkg.name} ${pkg.version}: ${picked.length} files`);
			await rm(root, { recursive: true, force: true });
		}
		labels.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
		await writeFile(path.join(staging, 'labels.json'), `${JSON.stringify(labels, null, '\t')}\n`);
		const previous = await stat(target).then(
			() => true,
			() => false
		);
		const old = `${target}.old-${process.pid}`;
		if (previous) await rename(target, old);
		await rename(staging, target);
		if (previous) await rm(old, { recursive: true, force: true });
		log(`wrote ${labels.length} files from ${packages.length} packages to ${target}`);
	} catch (error) {
		await rm(staging, { recursive: true, force: true });
		throw error;
	} finally {
		await rm(work, { recursive: true, force: true });
	}
}

/** Reads a set written by fetchRealProjectSet; a one-line error when dir/labels.json is missing. */
export async function readRealProjectSet(dir: string): Promise<RealProjectFile[]> {
	const labelsFile = path.join(dir, 'labels.json');
	let labels: RealProjectLabel[];
	try {
		labels = JSON.parse(await readFile(labelsFile, 'utf8')) as RealProjectLabel[];
	} catch {
		throw new Error(
			`no real-project set at ${dir} (labels.json missing or unreadable; build it with fetchRealProjectSet)`
		);
	}
	const files: RealProjectFile[] = [];
	for (const label of labels) {
		const content = await readFile(path.join(dir, 'files', ...label.path.split('/')), 'utf8');
		files.push({
			path: label.path,
			fileName: path.posix.basename(label.path),
			content,
			language: label.language,
			package: label.package
		});
	}
	return files;
}
