// The document type of a file from its language and name (ARCHITECTURE.md's taxonomy): a table of the
// type each Linguist language is, refined by file-name rules (build files, READMEs and licences, tests).
// Types are decided here, not by the model. Browser-safe.
import type { DocumentType } from './taxonomy.ts';

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

/** The type of a file in `language` named `fileName` ("none": other), and why. */
export function documentTypeEvidence(language: string, fileName: string): { type: DocumentType; reason: string } {
	const byLanguage = TYPE_OF_LANGUAGE.get(language) ?? (language === 'none' ? 'other' : 'source-code');
	for (const rule of FILE_NAME_RULES) {
		if (!rule.pattern.test(fileName)) continue;
		if (rule.type === 'test' && !TYPES_A_TEST_NAME_OVERRIDES.has(byLanguage)) continue;
		return { type: rule.type, reason: `file name ${fileName} is ${rule.type}` };
	}
	return { type: byLanguage, reason: `${language} is ${byLanguage}` };
}

export function documentTypeOf(language: string, fileName: string): DocumentType {
	return documentTypeEvidence(language, fileName).type;
}
