// Ground-truth labels for corpus files (document classification): the language is the linguist
// folder name, the type comes from a language table refined by file-name rules, and technologies are
// detected from the content. Used to generate datasets and, later, to score the classifier.
import type { Classification, DocumentType, Technology } from '../classify/taxonomy.ts';

const TYPE_BY_LANGUAGE: Partial<Record<DocumentType, readonly string[]>> = {
	markup: ['HTML', 'HTML+ECR', 'HTML+EEX', 'HTML+ERB', 'HTML+Razor', 'XML', 'XSLT', 'XPages', 'XProc', 'Haml', 'Pug', 'Slim', 'Scaml', 'TeX', 'BBCode', 'Mustache', 'Handlebars', 'Jinja', 'Liquid', 'Blade', 'EJS', 'Nunjucks', 'Smarty', 'Typst', 'Latte', 'Edge', 'Vento', 'FreeMarker', 'Velocity Template Language', 'Go Template', 'StringTemplate', 'Closure Templates', 'Groovy Server Pages', 'Java Template Engine', 'MTML', 'Antlers', 'Kit', 'Mask', 'Bikeshed', 'Ecmarkup', 'Csound Document', 'JavaScript+ERB', 'NetLinx+ERB', 'Cooklang', 'Mermaid', 'PlantUML', 'Graphviz (DOT)', 'D2'],
	documentation: ['Markdown', 'AsciiDoc', 'reStructuredText', 'Org', 'RDoc', 'Pod', 'Pod 6', 'Texinfo', 'Text', 'Roff', 'Roff Manpage', 'Wikitext', 'Creole', 'Muse', 'Vim Help File', 'MDX', 'mdsvex', 'RMarkdown', 'Rich Text Format', 'RUNOFF', 'Gemini', 'API Blueprint', 'Git Commit', 'Literate Agda', 'Literate CoffeeScript', 'CWeb', 'Sweave', 'Jupyter Notebook'],
	config: ['YAML', 'MiniYAML', 'TOML', 'INI', 'Git Config', 'EditorConfig', 'Dotenv', 'Nginx', 'ApacheConf', 'SSH Config', 'Java Properties', 'HOCON', 'HCL', 'Caddyfile', 'HAProxy', 'Tor Config', 'crontab', 'desktop', 'nanorc', 'Readline Config', 'Wget Config', 'cURL Config', 'NPM Config', 'Ignore List', 'Git Attributes', 'Browserslist', 'CODEOWNERS', 'ShellCheck Config', 'XCompose', 'dircolors', 'pkg-config', 'Debian Package Control File', 'Cabal Config', 'Pip Requirements', 'JAR Manifest', 'Procfile', 'Redirect Rules', 'Robots Exclusion Rules', 'SELinux Policy', 'GtkRC', 'TextMate Properties', 'Adblock Filter List', 'Proguard', 'Open Policy Agent', 'Cloud Firestore Security Rules', 'Terraform Template', 'KDL', 'Pkl', 'Dhall', 'CUE', 'Nickel', 'Jsonnet', 'Kickstart', 'Salt', 'Puppet', 'OASv2-yaml', 'OASv3-yaml', 'World of Warcraft Addon Data', 'BIRD2', 'VCL', 'Linux Kernel Module', 'Common Workflow Language', 'NEON'],
	data: ['JSON', 'JSON5', 'JSON with Comments', 'JSONLD', 'OASv2-json', 'OASv3-json', 'CSV', 'TSV', 'CSON', 'edn', 'RON', 'STON', 'Protocol Buffer Text Format', 'XML Property List', 'OpenStep Property List', 'CoNLL-U', 'GEDCOM', 'iCalendar', 'vCard', 'SubRip Text', 'WebVTT', 'Wavefront Object', 'Wavefront Material', 'Checksums', 'Go Checksums', 'Gemfile.lock', 'Public Key', 'STAR', 'Turtle', 'Web Ontology Language', 'Unity3D Asset', 'Godot Resource', 'Valve Data Format', 'Cue Sheet', 'M3U', 'TSPLIB data', 'TextGrid', 'Survex data', 'DNS Zone', 'Hosts File', 'Graph Modeling Language', 'Object Data Instance Notation', 'MiniZinc Data', 'X BitMap', 'X PixMap', 'X Font Directory Index', 'Glyph Bitmap Distribution Format', 'Adobe Font Metrics', 'FIGlet Font', 'KiCad Layout', 'KiCad Legacy Layout', 'KiCad Schematic', 'LTspice Symbol', 'Eagle', 'G-code', 'Gerber Image', 'Pickle', 'Record Jar', 'E-mail', 'Git Revision List', 'Windows Registry Entries', '2-Dimensional Array', 'Option List', 'Formatted', 'DirectX 3D File', 'Altium Designer', 'Edje Data Collection', 'Simple File Verification', 'Mathematical Programming System', 'Win32 Message File', 'Jest Snapshot', 'Diff', 'Regular Expression', 'BibTeX'],
	query: ['Cypher', 'SQL', 'PLSQL', 'PLpgSQL', 'TSQL', 'SQLPL', 'HiveQL', 'SPARQL', 'GraphQL', 'Kusto', 'EdgeQL', 'CQL', 'SurrealQL', 'XQuery', 'JSONiq', 'OverpassQL', 'Power Query', 'jq', 'CodeQL', 'Tree-sitter Query', 'PigLatin'],
	script: ['Shell', 'ShellSession', 'Batchfile', 'PowerShell', 'fish', 'Tcsh', 'Nushell', 'Elvish', 'Xonsh', 'AppleScript', 'AutoHotkey', 'sed', 'Awk', 'Vim script', 'DIGITAL Command Language', 'OpenRC runscript', 'RouterOS Script', 'mIRC Script', 'KakouneScript', 'GDB', 'Gnuplot', 'ImageJ Macro', 'JCL', 'REXX', 'Tape', 'Hurl', 'Inno Setup', 'NSIS'],
	build: ['Makefile', 'CMake', 'Dockerfile', 'Gradle', 'Gradle Kotlin DSL', 'Maven POM', 'Ant Build System', 'Meson', 'GN', 'Soong', 'QMake', 'Xmake', 'Just', 'Earthly', 'BitBake', 'Alpine Abuild', 'RPM Spec', 'Easybuild', 'Go Module', 'Go Workspace', 'Module Management System', 'Microsoft Visual Studio Solution', 'Microsoft Developer Studio Project', 'Dune', 'BuildStream', 'Singularity', 'Isabelle ROOT', 'Starlark', 'Nix', 'Linker Script', 'M4Sugar'],
	test: ['Gherkin', 'RobotFramework']
};

const TYPE_OF_LANGUAGE = new Map<string, DocumentType>(
	Object.entries(TYPE_BY_LANGUAGE).flatMap(([type, languages]) => languages.map((language) => [language, type as DocumentType]))
);

/** File-name rules, first match wins; they refine the language's type. */
const FILE_NAME_RULES: ReadonlyArray<{ pattern: RegExp; type: DocumentType }> = [
	{ pattern: /^(Dockerfile|Containerfile)(\..*)?$|\.dockerfile$/i, type: 'build' },
	{ pattern: /^(GNUmakefile|Makefile|makefile|CMakeLists\.txt|BUILD|BUILD\.bazel|WORKSPACE|meson\.build|build\.gradle(\.kts)?|pom\.xml|Rakefile|Justfile|Cargo\.toml|setup\.py|Gemfile|Podfile)$|\.(mk|mak|cmake)$/i, type: 'build' },
	{ pattern: /^(README|CHANGELOG|CHANGES|HACKING|CONTRIBUTING|INSTALL|NEWS|AUTHORS|LICENSE|COPYING)([._-].*)?$/i, type: 'documentation' },
	{ pattern: /(^|[._-])(test|tests|spec|specs)([._-]|$)|^test_|_test\.|\.test\.|\.spec\./i, type: 'test' }
];

/** Types a test-looking file name may override (a "spec.json" stays data). */
const TYPES_A_TEST_NAME_OVERRIDES: ReadonlySet<DocumentType> = new Set(['source-code', 'script']);

export function documentTypeOf(language: string, fileName: string): DocumentType {
	const byLanguage = TYPE_OF_LANGUAGE.get(language) ?? (language === 'none' ? 'other' : 'source-code');
	for (const rule of FILE_NAME_RULES) {
		if (!rule.pattern.test(fileName)) continue;
		if (rule.type === 'test' && !TYPES_A_TEST_NAME_OVERRIDES.has(byLanguage)) continue;
		return rule.type;
	}
	return byLanguage;
}

/** Content signals per technology: import lines, crate uses, keywords and format markers. */
const TECHNOLOGY_SIGNALS: ReadonlyArray<{ technology: Technology; pattern: RegExp }> = [
	{ technology: 'neo4j', pattern: /\bneo4j\b|\bMATCH\s*\(\w*(:\w+)?[^)]*\)\s*-\[|\bapoc\.\w+/i },
	{ technology: 'flask', pattern: /^\s*(from\s+flask\b|import\s+flask\b)/m },
	{ technology: 'django', pattern: /^\s*(from\s+django\b|import\s+django\b)/m },
	{ technology: 'fastapi', pattern: /^\s*(from\s+fastapi\b|import\s+fastapi\b)/m },
	{ technology: 'numpy', pattern: /^\s*(import\s+numpy\b|from\s+numpy\b)/m },
	{ technology: 'pandas', pattern: /^\s*(import\s+pandas\b|from\s+pandas\b)/m },
	{ technology: 'pytorch', pattern: /^\s*(import\s+torch\b|from\s+torch\b)/m },
	{ technology: 'tensorflow', pattern: /^\s*(import\s+tensorflow\b|from\s+tensorflow\b)/m },
	{ technology: 'tornado', pattern: /^\s*(import\s+tornado\b|from\s+tornado\b)/m },
	{ technology: 'requests', pattern: /^\s*import\s+requests\b/m },
	{ technology: 'tokio', pattern: /\btokio::|#\[tokio::|extern\s+crate\s+tokio\b/ },
	{ technology: 'serde', pattern: /\bserde(_json|_derive)?::|extern\s+crate\s+serde|derive\([^)]*\b(Serialize|Deserialize)\b/ },
	{ technology: 'actix', pattern: /\bactix(_web)?::/ },
	{ technology: 'react', pattern: /from\s+['"]react(-dom)?['"]|require\(\s*['"]react['"]\s*\)|\bReact\.(Component|createElement)\b/ },
	{ technology: 'vue', pattern: /from\s+['"]vue['"]|\bnew\s+Vue\s*\(/ },
	{ technology: 'angular', pattern: /from\s+['"]@angular\/|\bangular\.module\s*\(/ },
	{ technology: 'svelte', pattern: /from\s+['"]svelte(\/[\w-]+)?['"]/ },
	{ technology: 'jquery', pattern: /\bjQuery\b|\$\(\s*document\s*\)\.ready/ },
	{ technology: 'express', pattern: /require\(\s*['"]express['"]\s*\)|from\s+['"]express['"]/ },
	{ technology: 'docker', pattern: /^FROM\s+\S+[\s\S]*^(RUN|CMD|ENTRYPOINT|COPY)\s/m },
	{ technology: 'kubernetes', pattern: /^apiVersion:\s*\S+[\s\S]*^kind:\s*(Deployment|Service|Pod|ConfigMap|Ingress)/m },
	{ technology: 'terraform', pattern: /^\s*(resource|provider|terraform)\s+("[\w-]+"\s*)*\{|"terraform_version"/m },
	{ technology: 'json-schema', pattern: /"\$schema"\s*:\s*"https?:\/\/json-schema\.org/ },
	{ technology: 'openapi', pattern: /^\s*"?(openapi|swagger)"?\s*:\s*["']?\d/m },
	{ technology: 'graphql', pattern: /^\s*(type\s+Query\s*\{|query\s+\w+\s*(\(|\{)|schema\s*\{)/m },
	{ technology: 'sql', pattern: /\b(SELECT\s+[\s\S]{1,200}?\s+FROM|INSERT\s+INTO|CREATE\s+TABLE|ALTER\s+TABLE)\b/i },
	{ technology: 'postgresql', pattern: /\bpostgres(ql)?\b|\bpsycopg2?\b|\bplpgsql\b/i },
	{ technology: 'mysql', pattern: /\bmysql\b/i },
	{ technology: 'sqlite', pattern: /\bsqlite3?\b/i },
	{ technology: 'mongodb', pattern: /\bmongo(db|ose)?\b/i },
	{ technology: 'redis', pattern: /\bredis\b/i },
	{ technology: 'spring', pattern: /import\s+org\.springframework\b|@SpringBootApplication/ },
	{ technology: 'rails', pattern: /\bRails\.|ActiveRecord::|<\s*ApplicationController\b/ },
	{ technology: 'qt', pattern: /#include\s*<Q[A-Z]\w*>|\bQt(Core|Gui|Widgets|Quick)\b|^import\s+QtQuick\b/m },
	{ technology: 'gtk', pattern: /#include\s*<gtk\/|\bgtk_\w+\s*\(|from\s+gi\.repository\s+import\s+Gtk/ },
	{ technology: 'opengl', pattern: /#include\s*<GL\/|\bgl(Begin|Vertex\w*|Clear|DrawArrays)\s*\(|#version\s+\d{3}/ },
	{ technology: 'boost', pattern: /#include\s*<boost\/|\bboost::/ },
	{ technology: 'junit', pattern: /import\s+(static\s+)?org\.junit\b/ },
	{ technology: 'pytest', pattern: /^\s*import\s+pytest\b|@pytest\./m },
	{ technology: 'jest', pattern: /\b(describe|it|test)\(\s*['"][^'"]+['"]\s*,[\s\S]*\bexpect\(/ },
	{ technology: 'npm', pattern: /"(dependencies|devDependencies)"\s*:\s*\{/ }
];

/** Technologies detected in a file's content (sorted), plus those its language implies. */
export function technologiesOf(language: string, fileName: string, content: string): string[] {
	const found = new Set<string>();
	for (const signal of TECHNOLOGY_SIGNALS) if (signal.pattern.test(content)) found.add(signal.technology);
	if (language === 'Cypher') found.add('neo4j');
	if (language === 'Dockerfile' || /^Dockerfile/i.test(fileName)) found.add('docker');
	if (language === 'GraphQL') found.add('graphql');
	if (/^(package(-lock)?\.json|\.npmrc)$/.test(fileName)) found.add('npm');
	if (/^\.git(ignore|attributes|modules|config)$/.test(fileName) || language === 'Git Config' || language === 'Git Attributes') found.add('git');
	if (['SQL', 'PLSQL', 'PLpgSQL', 'TSQL', 'SQLPL', 'HiveQL'].includes(language)) found.add('sql');
	if (language === 'PLpgSQL') found.add('postgresql');
	return [...found].sort();
}

/** The full ground-truth label of a corpus file (`language` is its linguist folder name). */
export function labelCorpusFile(file: { language: string; fileName: string; content: string }): Classification {
	return {
		type: documentTypeOf(file.language, file.fileName),
		language: file.language,
		technologies: technologiesOf(file.language, file.fileName, file.content)
	};
}
