// Builds the language-identification training set: real files of the Debian source packages in
// language-id-sources.ts and the train side of ../shared/corpora/linguist-samples, labelled by what is certain
// (language-id-labels.ts), deduplicated, capped per project and per language, with none of the evaluation files.
// Writes the records (JSONL) and the data card's file list (package, version, licence, path, sha-256, rule).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LinguistHeuristics } from '../classify/linguist-heuristics.ts';
import { languageOfFolderName } from '../classify/linguist-names.ts';
import { assignCorpusSplit, type Corpora } from './corpus.ts';
import {
	fetchSourcePackage,
	installedSourcePackages,
	reservedFolderNames,
	reservedProjects,
	type FetchedSourcePackage
} from './debian-sources-fs.ts';
import { certainLabel } from './language-id-labels.ts';
import type { LanguageIdSourcePackage } from './language-id-sources.ts';

export interface LanguageIdRecord {
	text: string;
	language: string;
	fileName: string;
	/** "<package>/<path>" or "linguist-samples/<Language>/<file>". */
	source: string;
	/** How the label was made. */
	rule: string;
	sha256: string;
}

export interface LanguageIdLimits {
	/** Files per (project, language). */
	perProject: number;
	/** Files per language over all projects. */
	perLanguage: number;
	/** Characters of each file kept (the model reads the first 256 tokens). */
	textChars: number;
}

export const DEFAULT_LANGUAGE_ID_LIMITS: LanguageIdLimits = { perProject: 200, perLanguage: 1200, textChars: 6000 };

const SKIPPED_FOLDERS =
	/^(\..*|debian|node_modules|vendor|vendors|third[-_]?party|3rdparty|external|extern|bundled?)$/i;
const MIN_BYTES = 64;
const MAX_BYTES = 256 * 1024;

export function sha256Of(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

function* walk(root: string, relative = ''): Generator<string> {
	let entries;
	try {
		entries = readdirSync(path.join(root, relative), { withFileTypes: true });
	} catch {
		return;
	}
	for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
		const child = relative ? `${relative}/${entry.name}` : entry.name;
		if (entry.isDirectory()) {
			if (!SKIPPED_FOLDERS.test(entry.name)) yield* walk(root, child);
		} else if (entry.isFile()) yield child;
	}
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text when it is a UTF-8 text file of a sensible size, else null. */
function readText(file: string): string | null {
	const size = statSync(file).size;
	if (size < MIN_BYTES || size > MAX_BYTES) return null;
	const bytes = readFileSync(file);
	if (bytes.includes(0)) return null;
	try {
		return utf8.decode(bytes);
	} catch {
		return null;
	}
}

/** Every certainly-labelled text file of one unpacked source package. */
export function labelledPackageFiles(
	heuristics: LinguistHeuristics,
	fetched: FetchedSourcePackage,
	source: LanguageIdSourcePackage,
	textChars: number,
	reservedFolders: ReadonlySet<string> = new Set()
): LanguageIdRecord[] {
	const records: LanguageIdRecord[] = [];
	for (const relative of walk(fetched.root)) {
		const fileName = path.posix.basename(relative);
		if (
			relative
				.split('/')
				.slice(0, -1)
				.some((folder) => reservedFolders.has(folder.toLowerCase()))
		)
			continue;
		if (/\.min\.(js|css)$/i.test(fileName)) continue;
		const content = readText(path.join(fetched.root, relative));
		if (content === null || content.trim() === '') continue;
		const label = certainLabel(heuristics, { fileName, content }, source);
		if (!label) continue;
		records.push({
			text: content.slice(0, textChars),
			language: label.language,
			fileName,
			source: `${fetched.name}/${relative}`,
			rule: label.rule,
			sha256: sha256Of(content)
		});
	}
	return records;
}

/** The train side of the linguist samples, labelled by their folder (Linguist's own name for the language). */
export function linguistTrainRecords(corpora: Corpora, textChars: number): LanguageIdRecord[] {
	const split = assignCorpusSplit(corpora.linguist);
	return corpora.linguist
		.filter((file) => split.get(file.path) === 'train' && file.content.trim() !== '')
		.map((file) => ({
			text: file.content.slice(0, textChars),
			language: languageOfFolderName(file.language) ?? file.language,
			fileName: file.fileName,
			source: `linguist-samples/${file.path}`,
			rule: 'linguist-samples folder',
			sha256: sha256Of(file.content)
		}));
}

/** The shas of the evaluation files (held-out split, real-project set), which training must never see. */
export function evaluationShas(corpora: Corpora, realProjectFiles: readonly string[]): Set<string> {
	const split = assignCorpusSplit(corpora.linguist);
	const shas = new Set(corpora.linguist.filter((f) => split.get(f.path) === 'eval').map((f) => sha256Of(f.content)));
	for (const file of realProjectFiles) shas.add(sha256Of(readFileSync(file, 'utf8')));
	return shas;
}

/**
 * Deduplicates (first occurrence wins), drops evaluation files, caps per (project, language) and per language
 * with a seeded order (the sha decides, so the same inputs give the same set), linguist samples always kept.
 */
export function balanceRecords(
	records: readonly LanguageIdRecord[],
	excluded: ReadonlySet<string>,
	limits: LanguageIdLimits
): LanguageIdRecord[] {
	const seen = new Set<string>();
	const unique = records.filter((r) => {
		if (excluded.has(r.sha256) || seen.has(r.sha256)) return false;
		seen.add(r.sha256);
		return true;
	});
	const ordered = [...unique].sort(
		(a, b) =>
			Number(b.source.startsWith('linguist-samples/')) - Number(a.source.startsWith('linguist-samples/')) ||
			a.sha256.localeCompare(b.sha256)
	);
	const perProject = new Map<string, number>();
	const perLanguage = new Map<string, number>();
	const kept: LanguageIdRecord[] = [];
	for (const record of ordered) {
		const project = `${record.source.split('/')[0]}\t${record.language}`;
		const linguist = record.source.startsWith('linguist-samples/');
		if (
			!linguist &&
			((perProject.get(project) ?? 0) >= limits.perProject ||
				(perLanguage.get(record.language) ?? 0) >= limits.perLanguage)
		)
			continue;
		perProject.set(project, (perProject.get(project) ?? 0) + 1);
		perLanguage.set(record.language, (perLanguage.get(record.language) ?? 0) + 1);
		kept.push(record);
	}
	return kept.sort((a, b) => a.source.localeCompare(b.source));
}

export interface LanguageIdBuildOptions {
	cacheDir: string;
	reservedFile: string;
	corpora: Corpora;
	heuristics: LinguistHeuristics;
	packages: readonly LanguageIdSourcePackage[];
	/** Files of the real-project evaluation set (never trained on). */
	realProjectFiles: readonly string[];
	limits?: LanguageIdLimits;
	log?: (line: string) => void;
}

export interface LanguageIdDataset {
	records: LanguageIdRecord[];
	packages: FetchedSourcePackage[];
	/** Packages the mirror could not give, with the reason. */
	skipped: Array<{ name: string; reason: string }>;
}

/** Fetches every package, labels its files, adds the linguist train side, removes evaluation files and balances. */
export async function buildLanguageIdDataset(options: LanguageIdBuildOptions): Promise<LanguageIdDataset> {
	const limits = options.limits ?? DEFAULT_LANGUAGE_ID_LIMITS;
	const log = options.log ?? (() => {});
	const reserved = reservedProjects(options.reservedFile);
	const all: LanguageIdRecord[] = linguistTrainRecords(options.corpora, limits.textChars);
	const packages: FetchedSourcePackage[] = [];
	const skipped: Array<{ name: string; reason: string }> = [];
	const installed = await installedSourcePackages();
	for (const source of options.packages) {
		const reason = reserved.debianPackages.includes(source.name)
			? 'reserved by eval-reserved.md'
			: installed.has(source.name)
				? 'installed on this machine (its files are reserved)'
				: null;
		if (reason) {
			skipped.push({ name: source.name, reason });
			log(`${source.name}: skipped (${reason})`);
			continue;
		}
		try {
			const fetched = await fetchSourcePackage(source.name, options.cacheDir, reserved.github);
			const records = labelledPackageFiles(
				options.heuristics,
				fetched,
				source,
				limits.textChars,
				reservedFolderNames(reserved.github)
			);
			packages.push(fetched);
			all.push(...records);
			log(`${source.name} ${fetched.version}: ${records.length} labelled files`);
		} catch (error) {
			skipped.push({ name: source.name, reason: (error as Error).message });
			log(`${source.name}: skipped (${(error as Error).message})`);
		}
	}
	const records = balanceRecords(all, evaluationShas(options.corpora, options.realProjectFiles), limits);
	return { records, packages, skipped };
}

/** The data card's file list: one line per training file (source package, version, licence, path, sha-256, language, rule). */
export function dataFilesTable(dataset: LanguageIdDataset): string {
	const byName = new Map(dataset.packages.map((p) => [p.name, p]));
	const lines = dataset.records.map((r) => {
		const name = r.source.split('/')[0];
		const pkg = byName.get(name);
		const version = pkg?.version ?? 'b45dbe9b';
		const licence = pkg?.licence ?? 'per sample (LICENSE.linguist)';
		return [name, version, licence, r.source.slice(name.length + 1), r.sha256, r.language, r.rule].join('\t');
	});
	return `package\tversion\tlicence\tpath\tsha256\tlanguage\tlabel rule\n${lines.join('\n')}\n`;
}

/** The data card: where the files come from (package, version, licence, upstream), how labels were made, counts. */
export function dataCardMarkdown(
	dataset: LanguageIdDataset,
	limits: LanguageIdLimits = DEFAULT_LANGUAGE_ID_LIMITS
): string {
	const perPackage = new Map<string, number>();
	const perLanguage = new Map<string, number>();
	const perRule = new Map<string, number>();
	for (const r of dataset.records) {
		const name = r.source.split('/')[0];
		perPackage.set(name, (perPackage.get(name) ?? 0) + 1);
		perLanguage.set(r.language, (perLanguage.get(r.language) ?? 0) + 1);
		const rule = r.rule.split(' ')[0];
		perRule.set(rule, (perRule.get(rule) ?? 0) + 1);
	}
	const rows = dataset.packages.map(
		(p) =>
			`| ${p.name} | ${p.version} | ${p.licence.replace(/\|/g, '/')} | ${p.upstream || '—'} | ${perPackage.get(p.name) ?? 0} |`
	);
	const languages = [...perLanguage].sort((a, b) => b[1] - a[1]);
	return [
		'# Data card: language-id',
		'',
		`${dataset.records.length} real files in ${perLanguage.size} languages, made by \`expert-gen dataset language-id\` (src/lib/datasets/language-id-*.ts).`,
		'Every file, with its sha-256, source package, version, licence and label rule, is listed in DATA_FILES.tsv.',
		'',
		'## Sources',
		'',
		`- ${perPackage.get('linguist-samples') ?? 0} files: the train side of ../shared/corpora/linguist-samples (github-linguist/linguist samples, commit b45dbe9b; each sample keeps its project's licence), labelled by their folder.`,
		`- The rest: ${dataset.packages.length} Debian 12 (bookworm) source packages fetched with \`apt-get source --download-only\`, chosen by hand for the languages they hold, none built from a project of ../shared/eval-reserved.md (each package's debian/copyright Source:, debian/watch, debian/upstream/metadata, debian/control and .dsc are checked against it when fetched), none installed on the machine that built the data, none used by the evaluation sets.`,
		`- Left out: files whose sha-256 is a held-out linguist sample's or a real-project set file's; duplicates; files under vendored / third-party / hidden / debian/ folders, and under any folder named after a reserved project (a vendored copy or a port, e.g. maxima's share/lapack, LAPACK in Lisp; rust-libc's musl bindings); minified files; files under 64 bytes or over 256 KiB; not UTF-8; binary.`,
		`- Caps: ${limits.perProject} files per (project, language), ${limits.perLanguage} per language (linguist samples always kept), picked by sha-256 order; the first ${limits.textChars} characters of each file are kept.`,
		...dataset.skipped.map((s) => `- Not used: ${s.name} (${s.reason}).`),
		'',
		'## Labels (what is certain only)',
		'',
		"- Linguist's own evidence when it decides alone: modeline, exact file name, shebang interpreter, an extension with one language, XML header, man-page section.",
		"- Project provenance for names Linguist's rules leave ambiguous: the language the package is written in (declared per package in language-id-sources.ts, e.g. `.h` in a C library), Markdown / JSON / YAML / HTML for `.md`, `.json`, `.yml`/`.yaml`, `.html`, and Roff Manpage for man-page sections `.1`–`.9`, only where Linguist's heuristics do not name another language.",
		'- A heuristic guess alone never labels a file.',
		'',
		`Files per label rule: ${[...perRule]
			.sort((a, b) => b[1] - a[1])
			.map(([rule, n]) => `${rule} ${n}`)
			.join(', ')}.`,
		'',
		'## Packages',
		'',
		'| package | version | licence (debian/copyright, else the upstream LICENSE) | upstream | files used |',
		'|---|---|---|---|---|',
		...rows,
		'',
		'## Languages (files)',
		'',
		languages.map(([language, n]) => `${language} ${n}`).join(', '),
		''
	].join('\n');
}
