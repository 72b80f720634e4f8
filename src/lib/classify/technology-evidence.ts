// Technologies a file shows evidence of, each with the line that shows it: imports, `use`, `require` and
// `#include`s; dependencies named in package manifests and lock files; Dockerfile and compose images; SQL
// dialect markers; and what the file's language itself implies (Cypher: neo4j). Browser-safe.
import type { Technology } from './taxonomy.ts';

export interface TechnologyFinding {
	technology: Technology;
	/** What shows it: "import numpy as np", "language Cypher", "package.json dependency react". */
	reason: string;
}

/** How much of a file is searched. */
const SEARCHED_CHARS = 64 * 1024;

const SQL_LANGUAGES = ['SQL', 'PLSQL', 'PLpgSQL', 'TSQL', 'SQLPL', 'HiveQL', 'CQL', 'SurrealQL'];
const SCRIPT_LIKE = [
	'Shell',
	'ShellSession',
	'Dockerfile',
	'Makefile',
	'PowerShell',
	'Batchfile',
	'fish',
	'Tcsh',
	'Just',
	'Earthly'
];
const PYTHON_LIKE = ['Python', 'Cython', 'Starlark', 'Jupyter Notebook', 'Sage'];
const JS_LIKE = [
	'JavaScript',
	'TypeScript',
	'TSX',
	'JSX',
	'CoffeeScript',
	'LiveScript',
	'Imba',
	'Vue',
	'Svelte',
	'Astro',
	'mdsvex',
	'MDX',
	'JavaScript+ERB'
];

/** What a language implies on its own. */
const LANGUAGE_IMPLIES: ReadonlyArray<{ technology: Technology; languages: readonly string[] }> = [
	{ technology: 'sql', languages: SQL_LANGUAGES },
	{ technology: 'postgresql', languages: ['PLpgSQL'] },
	{ technology: 'neo4j', languages: ['Cypher'] },
	{ technology: 'graphql', languages: ['GraphQL'] },
	{ technology: 'docker', languages: ['Dockerfile'] },
	{ technology: 'git', languages: ['Git Config', 'Git Attributes', 'Git Commit', 'Git Revision List'] },
	{ technology: 'npm', languages: ['NPM Config'] },
	{ technology: 'opengl', languages: ['GLSL'] },
	{ technology: 'openapi', languages: ['OASv2-json', 'OASv2-yaml', 'OASv3-json', 'OASv3-yaml'] },
	{ technology: 'vue', languages: ['Vue'] },
	{ technology: 'svelte', languages: ['Svelte'] },
	{ technology: 'terraform', languages: ['Terraform Template'] },
	{ technology: 'rails', languages: ['HTML+ERB', 'JavaScript+ERB'] },
	{ technology: 'qt', languages: ['QML'] }
];

/** Package names (any ecosystem) that stand for a technology, as manifests and imports name them. */
const PACKAGES: Record<string, Technology> = {
	flask: 'flask',
	django: 'django',
	fastapi: 'fastapi',
	numpy: 'numpy',
	pandas: 'pandas',
	torch: 'pytorch',
	pytorch: 'pytorch',
	tensorflow: 'tensorflow',
	tornado: 'tornado',
	requests: 'requests',
	pytest: 'pytest',
	tokio: 'tokio',
	serde: 'serde',
	serde_json: 'serde',
	serde_derive: 'serde',
	'actix-web': 'actix',
	actix: 'actix',
	actix_web: 'actix',
	react: 'react',
	'react-dom': 'react',
	vue: 'vue',
	'@angular/core': 'angular',
	svelte: 'svelte',
	'@sveltejs/kit': 'svelte',
	jquery: 'jquery',
	express: 'express',
	jest: 'jest',
	graphql: 'graphql',
	mongodb: 'mongodb',
	mongoose: 'mongodb',
	pymongo: 'mongodb',
	mongoid: 'mongodb',
	redis: 'redis',
	ioredis: 'redis',
	pg: 'postgresql',
	psycopg2: 'postgresql',
	'psycopg2-binary': 'postgresql',
	psycopg: 'postgresql',
	asyncpg: 'postgresql',
	mysql: 'mysql',
	mysql2: 'mysql',
	pymysql: 'mysql',
	mysqlclient: 'mysql',
	sqlite3: 'sqlite',
	'better-sqlite3': 'sqlite',
	neo4j: 'neo4j',
	'neo4j-driver': 'neo4j',
	py2neo: 'neo4j',
	rails: 'rails',
	railties: 'rails',
	activerecord: 'rails',
	'spring-boot-starter': 'spring',
	'spring-core': 'spring',
	'spring-context': 'spring',
	junit: 'junit',
	'junit-jupiter': 'junit'
};

/** Manifest and lock-file names, and how each names its dependencies (group 1 of every match). */
const MANIFESTS: ReadonlyArray<{ fileName: RegExp; dependency: RegExp }> = [
	{
		fileName: /^(package\.json|package-lock\.json|npm-shrinkwrap\.json|bun\.lock|deno\.json)$/,
		dependency: /"((?:@[\w.-]+\/)?[\w.-]+)"\s*:/g
	},
	{ fileName: /^(yarn\.lock|pnpm-lock\.yaml)$/, dependency: /^[ \t]*['"]?((?:@[\w.-]+\/)?[\w.-]+)@/gm },
	{
		fileName: /^(Gemfile|Appraisals|.*\.gemspec)$/,
		dependency: /\b(?:gem|add_(?:runtime_|development_)?dependency)\s*\(?\s*['"]([\w.-]+)['"]/g
	},
	{ fileName: /^Gemfile\.lock$/, dependency: /^ {4}([\w.-]+) \(/gm },
	{
		fileName: /^(requirements.*\.txt|constraints\.txt|Pipfile)$/,
		dependency: /^[ \t]*([A-Za-z][\w.-]*)\s*(?:[=<>~!;[\s]|$)/gm
	},
	{
		fileName: /^(pyproject\.toml|setup\.py|setup\.cfg|environment\.ya?ml|pixi\.toml|pixi\.lock)$/,
		dependency: /["'\s=-]([A-Za-z][\w-]*)(?=\s*(?:[=<>~!,\]'"]|$))/gm
	},
	{ fileName: /^Cargo\.toml$/, dependency: /^[ \t]*([\w-]+)\s*=/gm },
	{ fileName: /^(pom\.xml|build\.gradle(\.kts)?)$/, dependency: /\b(spring-[\w-]+|junit(?:-jupiter)?)\b/g }
];

/** Content signals: one pattern per technology and form; `languages` limits where a pattern counts. */
const SIGNALS: ReadonlyArray<{ technology: Technology; pattern: RegExp; languages?: readonly string[] }> = [
	// Python imports
	...(
		[
			'flask',
			'django',
			'fastapi',
			'numpy',
			'pandas',
			'tensorflow',
			'tornado',
			'requests',
			'pytest',
			'redis',
			'pymongo',
			'psycopg2',
			'pymysql',
			'sqlite3',
			'neo4j',
			'py2neo'
		] as const
	).map((module) => ({
		technology: PACKAGES[module],
		pattern: new RegExp(`^[ \\t]*(?:from|import)[ \\t]+${module}\\b`, 'm'),
		languages: PYTHON_LIKE
	})),
	{ technology: 'pytorch', pattern: /^[ \t]*(?:from|import)[ \t]+torch\b/m, languages: PYTHON_LIKE },
	{ technology: 'pytest', pattern: /^[ \t]*@pytest\.\w+/m, languages: PYTHON_LIKE },
	// Rust
	{ technology: 'tokio', pattern: /\btokio::\w|#\[tokio::main\]/ },
	{ technology: 'serde', pattern: /\bserde(?:_json|_derive)?::\w|derive\([^)]*\b(?:Serialize|Deserialize)\b/ },
	{ technology: 'actix', pattern: /\bactix(?:_web)?::\w/ },
	// JavaScript and friends
	...Object.entries(PACKAGES)
		.filter(([name]) => /^[@\w][\w/@.-]*$/.test(name))
		.map(([name, technology]) => ({
			technology,
			pattern: new RegExp(
				`(?:\\bfrom\\s+|\\brequire\\s*\\(?\\s*|\\bimport\\s+)['"]${name.replace(/[.@/-]/g, (c) => `\\${c}`)}(?:/[\\w./-]*)?['"]`
			),
			languages: JS_LIKE
		})),
	{ technology: 'react', pattern: /\bReact\.(?:Component|createElement|createClass|render|PureComponent)\b/ },
	{ technology: 'vue', pattern: /\bnew\s+Vue\s*\(|^[ \t]*VUE_(?:APP|CLI)_\w+\s*=/m },
	{ technology: 'angular', pattern: /\bangular\.module\s*\(/ },
	{
		technology: 'jquery',
		pattern:
			/\bjQuery\s*[.(]|\$\(\s*(?:document|window)\s*\)|\$\([^)\n]{0,200}\)\.(?:appendTo|ready|on|click|ajax)\s*\(/
	},
	{
		technology: 'node',
		pattern:
			/\brequire\s*\(?\s*['"](?:node:)?(?:fs|path|http|https|child_process|os|vm|net|util|events|stream|crypto|readline)['"]|\bprocess\.(?:argv|stdout|stdin|stderr|exit|on)\b/,
		languages: JS_LIKE
	},
	{ technology: 'jest', pattern: /\b(?:jest\.(?:fn|mock|spyOn)|from\s+['"]@jest\/globals['"])/, languages: JS_LIKE },
	// C, C++, Qt build files
	{
		technology: 'qt',
		pattern: /^[ \t]*#\s*include\s*<Q[A-Z]\w*(?:\/\w+)?>|^[ \t]*QT\s*\+?=|^[ \t]*import\s+QtQuick\b/m
	},
	{ technology: 'gtk', pattern: /^[ \t]*#\s*include\s*<gtk\/|\bfrom\s+gi\.repository\s+import\s+Gtk\b/m },
	{
		technology: 'opengl',
		pattern:
			/^[ \t]*#\s*include\s*[<"](?:GL|GLUT|OpenGL)\/|^[ \t]*QT\s*\+?=.*\bopengl\b|\(import\s+\(gl\)|\bgl(?:Begin|Vertex[234][fdi]|Clear|DrawArrays|Translate[fd]|Viewport)\s*\(|\bgl_(?:FragColor|Position)\b|\bglut\w*\.h\b/m
	},
	{ technology: 'boost', pattern: /^[ \t]*#\s*include\s*[<"]boost\/|\bboost::\w/m },
	{ technology: 'redis', pattern: /^[ \t]*#\s*include\s*[<"](?:hi)?redis\w*\.h[>"]/m },
	{ technology: 'sqlite', pattern: /^[ \t]*#\s*include\s*[<"]sqlite3\.h[>"]|\bprovider\s*=\s*"sqlite"/m },
	{ technology: 'mysql', pattern: /^[ \t]*#\s*include\s*[<"]mysql(?:\/\w+)?\.h[>"]/m },
	// Java
	{ technology: 'spring', pattern: /^[ \t]*import\s+org\.springframework\b|@SpringBootApplication\b/m },
	{ technology: 'junit', pattern: /^[ \t]*import\s+(?:static\s+)?org\.junit\b/m },
	// Ruby on Rails
	{
		technology: 'rails',
		pattern:
			/\b(?:Rails\.(?:application|root|env)|ActiveRecord::\w+|<\s*ApplicationController\b|escape_javascript\s*\()/
	},
	// Infrastructure and formats
	{ technology: 'docker', pattern: /^[ \t]*docker\s*:\s*["']\S+|^[ \t]*image\s*:\s*["']?[\w./-]+:[\w.-]+/m },
	{
		technology: 'kubernetes',
		pattern:
			/\bapiVersion\s*[:=][^\n]*\n(?:[^\n]*\n){0,3}?\s*kind\s*[:=]\s*["']?(?:Deployment|Service|Pod|ConfigMap|Ingress|DaemonSet|StatefulSet|Job|CronJob|Secret|Namespace|CustomResourceDefinition)\b|\bapp\.kubernetes\.io\/|\bkubernetes\.admission\b|\{\{-?\s*\.(?:Chart\.Name|Release\.Name)\b/
	},
	{
		technology: 'terraform',
		pattern: /^[ \t]*(?:resource|provider|terraform|module|data)[ \t]+(?:"[\w-]+"[ \t]*)*\{|"terraform_version"/m,
		languages: ['HCL']
	},
	{ technology: 'json-schema', pattern: /"\$schema"\s*:\s*"https?:\/\/json-schema\.org/ },
	{ technology: 'openapi', pattern: /^[ \t]*["']?(?:openapi|swagger)["']?\s*:\s*["']?\d/m },
	{
		technology: 'graphql',
		pattern: /^[ \t]*(?:type[ \t]+(?:Query|Mutation)[ \t]*\{|schema[ \t]*\{)|\bgql\s*`/m,
		languages: JS_LIKE
	},
	{ technology: 'neo4j', pattern: /\bMATCH\s*\([^)\n]{0,200}\)\s*-\[|\bapoc\.\w+/ },
	{
		technology: 'git',
		pattern:
			/(?:^[ \t]*|&&\s*|;\s*|\b(?:RUN|run)\s+)git\s+(?:clone|checkout|config|commit|push|pull|fetch|rev-parse|submodule|remote|tag|describe)\b/m,
		languages: SCRIPT_LIKE
	},
	{ technology: 'git', pattern: /\bgit\.(?:modified|added|deleted)_files\b/ },
	// SQL statements and dialect markers
	// SELECT <columns> FROM: the column list is identifiers (or calls) separated by commas, so no run of blanks is
	// tried two ways; lower-case SQL counts only inside a string literal.
	{
		technology: 'sql',
		pattern:
			/\bSELECT\s+(?:\*|\w[\w.]*(?:\([^)\n]{0,80}\))?(?:\s*,\s*\w[\w.]*(?:\([^)\n]{0,80}\))?)*)\s+FROM\s+\w|["'`]\s*select\s+(?:\*|\w[\w.]*(?:\s*,\s*\w[\w.]*)*)\s+from\s+\w|\bINSERT\s+INTO\s+\w|\bCREATE\s+(?:TABLE|VIEW|INDEX|PROCEDURE)\s+\w|\bexec\s+SQL\b/
	},
	{ technology: 'mysql', pattern: /\bENGINE\s*=\s*(?:InnoDB|MyISAM)\b|\bAUTO_INCREMENT\b/ },
	{ technology: 'postgresql', pattern: /\bLANGUAGE\s+plpgsql\b|\bpostgres(?:ql)?:\/\//i },
	{ technology: 'sqlite', pattern: /\bAUTOINCREMENT\b|\bsqlite_master\b/ }
];

/** Technologies the manifest or lock file `fileName` names as dependencies. */
function manifestFindings(fileName: string, text: string): TechnologyFinding[] {
	const findings: TechnologyFinding[] = [];
	for (const manifest of MANIFESTS.filter((m) => m.fileName.test(fileName))) {
		for (const match of text.matchAll(manifest.dependency)) {
			const name = match[1].toLowerCase();
			const technology = PACKAGES[name] ?? (name.startsWith('spring-') ? 'spring' : undefined);
			if (technology) findings.push({ technology, reason: `${fileName} names ${match[1]}` });
		}
	}
	if (
		/^(package\.json|package-lock\.json|npm-shrinkwrap\.json|\.npmrc|bun\.lock|yarn\.lock|pnpm-lock\.yaml)$/.test(
			fileName
		)
	)
		findings.push({ technology: 'npm', reason: `file name ${fileName}` });
	if (/^\.git(?:ignore|attributes|modules)$/.test(fileName))
		findings.push({ technology: 'git', reason: `file name ${fileName}` });
	if (/\.tfvars$|\.tf$/.test(fileName)) findings.push({ technology: 'terraform', reason: `file name ${fileName}` });
	if (/^(docker-)?compose\.ya?ml$|^docker-compose\.[\w.-]+\.ya?ml$/.test(fileName))
		findings.push({ technology: 'docker', reason: `file name ${fileName}` });
	return findings;
}

/** Database images a Dockerfile starts FROM. */
function dockerImageFindings(language: string, text: string): TechnologyFinding[] {
	if (language !== 'Dockerfile') return [];
	const images: Record<string, Technology> = {
		postgres: 'postgresql',
		mysql: 'mysql',
		mariadb: 'mysql',
		redis: 'redis',
		mongo: 'mongodb',
		neo4j: 'neo4j',
		node: 'node'
	};
	const findings: TechnologyFinding[] = [];
	for (const match of text.matchAll(/^[ \t]*FROM\s+(?:--\S+\s+)?(?:[\w.-]+\/)*([\w.-]+)(?::\S+)?.*/gm)) {
		const technology = images[match[1].toLowerCase()];
		if (technology) findings.push({ technology, reason: match[0].trim() });
	}
	return findings;
}

/** The line of `text` that holds `index`, trimmed and cut to 80 characters. */
function lineAt(text: string, index: number): string {
	const start = text.lastIndexOf('\n', index - 1) + 1;
	const end = text.indexOf('\n', index);
	return text
		.slice(start, end === -1 ? undefined : end)
		.trim()
		.slice(0, 80);
}

/** Every technology a file shows evidence of, one finding each (the first reason), sorted by technology. */
export function technologyEvidence(language: string, fileName: string, content: string): TechnologyFinding[] {
	const text = content.slice(0, SEARCHED_CHARS);
	const findings: TechnologyFinding[] = [
		...LANGUAGE_IMPLIES.filter((rule) => rule.languages.includes(language)).map((rule) => ({
			technology: rule.technology,
			reason: `language ${language}`
		})),
		...manifestFindings(fileName, text),
		...dockerImageFindings(language, text)
	];
	for (const signal of SIGNALS) {
		if (signal.languages && !signal.languages.includes(language)) continue;
		const match = signal.pattern.exec(text);
		if (match) findings.push({ technology: signal.technology, reason: lineAt(text, match.index) });
	}
	const first = new Map<Technology, TechnologyFinding>();
	for (const finding of findings) if (!first.has(finding.technology)) first.set(finding.technology, finding);
	return [...first.values()].sort((a, b) => a.technology.localeCompare(b.technology));
}

/** The technologies alone, sorted (the labels of generated training data). */
export function technologiesOf(language: string, fileName: string, content: string): string[] {
	return technologyEvidence(language, fileName, content).map((finding) => finding.technology);
}
