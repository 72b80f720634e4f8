// A second, independent evaluation set of real source files, taken from Debian 12 binary packages that are
// downloaded but not installed; labels come from provenance (what the package is), never from content.
// Packages built from projects that ../shared/eval-reserved.md reserves (curl, libuv, fmt, rakudo, zsh)
// are not used, nor rake (installed here with ruby-github-linguist, the eval's reference tool).
// This module is the pinned package list and the per-package provenance rules, as plain data (pure, no I/O).

/** One provenance rule: files of the package whose path matches `glob` are `language`. */
export interface ProvenanceRule {
	/** Glob on the path inside the package (no leading slash): `**` any depth, `*` and `?` within one segment, `{a,b}` alternatives. */
	glob: string;
	/** Globs of paths the rule leaves out. */
	exclude?: readonly string[];
	/** GitHub Linguist language name. */
	language: string;
	/** How many files to take from the sorted matches (every k-th, k = matches / take); all when fewer match. */
	take: number;
	/** The matches are gzip files (man pages): decompress them and drop the `.gz` from the name. */
	gunzip?: boolean;
	/** Why the label is certain. */
	why: string;
}

export interface RealProjectPackage {
	/** Debian package name. */
	name: string;
	/** The exact version `apt-get download NAME=VERSION` fetches. */
	version: string;
	/** The first rule whose glob matches a path labels it; a file is never counted twice. */
	rules: readonly ProvenanceRule[];
}

export const MAX_FILES_PER_PACKAGE = 25;
export const MAX_FILE_BYTES = 256 * 1024;
/** Man pages that only `.so`-include another page are links in content; they are left out like symlinks. */
export const MAN_STUB = /^(\.\\".*\n)*\.so\s+\S+\s*$/;

const MAN = (section: string, take: number, why = 'man page shipped by the package'): ProvenanceRule => ({
	glob: `usr/share/man/man${section}/*.gz`,
	language: 'Roff Manpage',
	take,
	gunzip: true,
	why
});

export const REAL_PROJECT_PACKAGES: readonly RealProjectPackage[] = [
	// --- C libraries: headers of pure-C libraries ---
	{
		name: 'libglib2.0-dev',
		version: '2.74.6-2+deb12u9',
		rules: [{ glob: 'usr/include/glib-2.0/**/*.h', language: 'C', take: 18, why: 'GLib/GObject/GIO are written in C' }]
	},
	{
		name: 'libzstd-dev',
		version: '1.5.4+dfsg2-5+deb12u1',
		rules: [
			{ glob: 'usr/include/*.h', language: 'C', take: 3, why: 'zstd is written in C' },
			{ glob: 'usr/share/doc/libzstd-dev/examples/*.{c,h}', language: 'C', take: 8, why: 'upstream C examples' },
			{ glob: 'usr/share/doc/libzstd-dev/examples/Makefile', language: 'Makefile', take: 1, why: 'file named Makefile' }
		]
	},
	{
		name: 'libpcre2-dev',
		version: '10.42-1+deb12u2',
		rules: [
			{ glob: 'usr/include/*.h', language: 'C', take: 2, why: 'PCRE2 is written in C' },
			MAN('3', 10),
			MAN('1', 1)
		]
	},
	// --- C++ libraries: headers (.h, .hpp, .ipp and extensionless) of C++ libraries ---
	{
		name: 'libgtest-dev',
		version: '1.12.1-0.2',
		rules: [
			{ glob: 'usr/include/gtest/**/*.h', language: 'C++', take: 15, why: 'GoogleTest is a C++ library' },
			{ glob: 'usr/include/gtest/internal/custom/README.md', language: 'Markdown', take: 1, why: 'upstream README.md' }
		]
	},
	{
		name: 'libsigc++-2.0-dev',
		version: '2.12.0-1',
		rules: [{ glob: 'usr/include/sigc++-2.0/**/*.h', language: 'C++', take: 15, why: 'libsigc++ is a C++ library' }]
	},
	{
		name: 'libboost1.81-dev',
		version: '1.81.0-5+deb12u1',
		rules: [
			{ glob: 'usr/include/boost/**/*.hpp', language: 'C++', take: 17, why: 'Boost is a C++ library' },
			{ glob: 'usr/include/boost/**/*.ipp', language: 'C++', take: 3, why: 'Boost is a C++ library' }
		]
	},
	{
		name: 'libtbb-dev',
		version: '2021.8.0-2+deb12u1',
		rules: [{ glob: 'usr/include/oneapi/tbb/**/*.h', language: 'C++', take: 12, why: 'oneTBB is a C++ library' }]
	},
	{
		name: 'qtbase5-dev',
		version: '5.15.8+dfsg-11+deb12u3',
		rules: [
			{ glob: 'usr/include/x86_64-linux-gnu/qt5/QtCore/*.h', language: 'C++', take: 9, why: 'Qt is a C++ framework' },
			{ glob: 'usr/include/x86_64-linux-gnu/qt5/QtWidgets/*.h', language: 'C++', take: 6, why: 'Qt is a C++ framework' }
		]
	},
	{
		name: 'libc++-14-dev',
		version: '1:14.0.6-12',
		rules: [
			{
				glob: 'usr/lib/llvm-14/include/c++/v1/*',
				exclude: ['**/*.*'],
				language: 'C++',
				take: 16,
				why: 'LLVM libc++ standard headers (extensionless)'
			},
			{
				glob: 'usr/lib/llvm-14/include/c++/v1/__algorithm/*.h',
				language: 'C++',
				take: 4,
				why: 'libc++ internal C++ headers'
			}
		]
	},
	// --- Objective-C: GNUstep ---
	{
		name: 'libgnustep-base-dev',
		version: '1.28.1+really1.28.0-5',
		rules: [
			{
				glob: 'usr/include/GNUstep/Foundation/*.h',
				language: 'Objective-C',
				take: 15,
				why: 'GNUstep Foundation is written in Objective-C'
			}
		]
	},
	{
		name: 'libgnustep-gui-dev',
		version: '0.29.0-2+b3',
		rules: [
			{
				glob: 'usr/include/GNUstep/AppKit/NS*.h',
				language: 'Objective-C',
				take: 15,
				why: 'GNUstep AppKit class headers (NS*.h; the other names are forwarding stubs)'
			}
		]
	},
	{
		name: 'gnustep-make',
		version: '2.9.1-2',
		rules: [
			{
				glob: 'usr/share/GNUstep/Makefiles/**/*.make',
				language: 'Makefile',
				take: 10,
				why: 'gnustep-make is a set of GNU make fragments'
			},
			{ glob: 'usr/share/**/*.mk', language: 'Makefile', take: 3, why: 'GNU make fragments (cdbs and debian helpers)' },
			{
				glob: 'usr/share/GNUstep/Makefiles/TestFramework/*.m',
				language: 'Objective-C',
				take: 6,
				why: 'GNUstep test framework examples in Objective-C'
			},
			MAN('1', 1)
		]
	},
	// --- Perl ---
	{
		name: 'libmoose-perl',
		version: '2.2203-1',
		rules: [
			{
				glob: 'usr/lib/x86_64-linux-gnu/perl5/**/*.pm',
				language: 'Perl',
				take: 12,
				why: 'Moose is a Perl module distribution'
			},
			MAN('3', 3)
		]
	},
	{
		name: 'libdbi-perl',
		version: '1.643-4+deb12u4',
		rules: [
			{
				glob: 'usr/lib/x86_64-linux-gnu/perl5/**/*.pm',
				language: 'Perl',
				take: 7,
				why: 'DBI is a Perl module distribution'
			},
			{ glob: 'usr/lib/x86_64-linux-gnu/perl5/**/*.pl', language: 'Perl', take: 1, why: 'Perl script of DBI' },
			{ glob: 'usr/share/doc/libdbi-perl/examples/*.pl', language: 'Perl', take: 3, why: 'upstream Perl examples' },
			{ glob: 'usr/bin/*', language: 'Perl', take: 3, why: 'DBI tools are Perl scripts' },
			{
				glob: 'usr/lib/x86_64-linux-gnu/perl5/**/*.h',
				language: 'C',
				take: 2,
				why: 'C headers for DBI drivers written in XS/C'
			},
			MAN('3', 2)
		]
	},
	{
		name: 'perltidy',
		version: '20220613-1',
		rules: [
			{ glob: 'usr/share/perl5/**/*.pm', language: 'Perl', take: 6, why: 'Perl::Tidy is written in Perl' },
			{
				glob: 'usr/share/doc/perltidy/examples/*.{pl,t}',
				language: 'Perl',
				take: 7,
				why: 'upstream Perl examples and tests'
			},
			{ glob: 'usr/bin/perltidy', language: 'Perl', take: 1, why: 'perltidy is a Perl script' },
			MAN('1', 1)
		]
	},
	{
		name: 'lintian',
		version: '2.116.3+deb12u1',
		rules: [
			{ glob: 'usr/share/lintian/lib/**/*.pm', language: 'Perl', take: 9, why: 'Lintian is written in Perl' },
			{ glob: 'usr/share/lintian/bin/*', language: 'Perl', take: 3, why: 'Lintian is written in Perl' },
			MAN('1', 3)
		]
	},
	{
		name: 'devscripts',
		version: '2.23.4+deb12u2',
		rules: [
			{
				glob: 'usr/bin/{uscan,debuild,dget,rmadison,checkbashisms,dd-list}',
				language: 'Perl',
				take: 6,
				why: 'scripts/*.pl in the devscripts source tree'
			},
			{
				glob: 'usr/bin/{uupdate,debrelease,cowpoke,who-uploads,mergechanges}',
				language: 'Shell',
				take: 5,
				why: 'scripts/*.sh in the devscripts source tree'
			},
			{
				glob: 'usr/bin/{wrap-and-sort,debbisect,deb-janitor}',
				language: 'Python',
				take: 3,
				why: 'Python scripts of the devscripts source tree'
			},
			{ glob: 'usr/share/perl5/Devscripts/**/*.pm', language: 'Perl', take: 4, why: 'Devscripts Perl modules' },
			MAN('1', 4)
		]
	},
	// --- Raku ---
	{
		name: 'raku-zef',
		version: '0.13.8-1',
		rules: [
			{
				glob: 'usr/share/perl6/debian-sources/raku-zef/lib/**/*.rakumod',
				language: 'Raku',
				take: 12,
				why: 'zef is written in Raku'
			},
			{ glob: 'usr/bin/zef', language: 'Raku', take: 1, why: 'Raku launcher script' },
			{
				glob: 'usr/share/perl6/debian-sources/raku-zef/META6.json',
				language: 'JSON',
				take: 1,
				why: 'Raku distribution metadata'
			},
			MAN('1', 1)
		]
	},
	// --- Python ---
	{
		name: 'python3-docutils',
		version: '0.19+dfsg-6',
		rules: [
			{
				glob: 'usr/lib/python3/dist-packages/docutils/**/*.py',
				exclude: ['**/languages/*'],
				language: 'Python',
				take: 14,
				why: 'Docutils is written in Python'
			},
			{ glob: 'usr/bin/*', language: 'Python', take: 3, why: 'Docutils front ends are Python scripts' }
		]
	},
	// --- Ruby ---
	{
		name: 'ruby-rack',
		version: '2.2.22-0+deb12u2',
		rules: [
			{
				glob: 'usr/share/rubygems-integration/all/gems/rack-*/lib/**/*.rb',
				language: 'Ruby',
				take: 10,
				why: 'Rack is written in Ruby'
			},
			{
				glob: 'usr/share/rubygems-integration/all/gems/rack-*/**/*.ru',
				language: 'Ruby',
				take: 1,
				why: 'Rackup file (Ruby)'
			},
			{ glob: 'usr/bin/rackup', language: 'Ruby', take: 1, why: 'RubyGems launcher' }
		]
	},
	// --- Emacs Lisp, Tcl, Lua, PHP ---
	{
		name: 'elpa-magit',
		version: '3.3.0-2',
		rules: [
			{
				glob: 'usr/share/emacs/site-lisp/elpa-src/**/*.el',
				language: 'Emacs Lisp',
				take: 15,
				why: 'Magit is written in Emacs Lisp'
			}
		]
	},
	{
		name: 'tcllib',
		version: '1.21+dfsg-1',
		rules: [{ glob: 'usr/share/tcltk/tcllib*/**/*.tcl', language: 'Tcl', take: 15, why: 'Tcllib is written in Tcl' }]
	},
	{
		name: 'lua-penlight',
		version: '1.13.1-3',
		rules: [{ glob: 'usr/share/lua/**/*.lua', language: 'Lua', take: 12, why: 'Penlight is written in Lua' }]
	},
	{
		name: 'php-twig',
		version: '3.5.1-1+deb12u3',
		rules: [{ glob: 'usr/share/php/Twig/**/*.php', language: 'PHP', take: 12, why: 'Twig is written in PHP' }]
	},
	// --- Shell ---
	{
		name: 'bash-completion',
		version: '1:2.11-6',
		rules: [
			{
				glob: 'usr/share/bash-completion/completions/*',
				language: 'Shell',
				take: 14,
				why: 'bash completion scripts (whatever their name)'
			},
			{
				glob: 'usr/share/bash-completion/bash_completion',
				language: 'Shell',
				take: 1,
				why: 'the bash completion library'
			},
			{ glob: 'etc/profile.d/bash_completion.sh', language: 'Shell', take: 1, why: 'profile snippet' }
		]
	},
	{
		name: 'git-flow',
		version: '1.12.3-3',
		rules: [
			{ glob: 'usr/bin/*', language: 'Shell', take: 8, why: 'git-flow (AVH) is written in shell' },
			{ glob: 'usr/share/doc/git-flow/hooks/*', language: 'Shell', take: 4, why: 'sample hook shell scripts' },
			{ glob: 'usr/share/bash-completion/completions/git-flow', language: 'Shell', take: 1, why: 'bash completion' },
			{ glob: 'usr/share/zsh/vendor-completions/_git-flow', language: 'Shell', take: 1, why: 'zsh completion' }
		]
	},
	{
		name: 'quilt',
		version: '0.67+really0.66-1',
		rules: [
			{
				glob: 'usr/share/quilt/*',
				exclude: ['**/*.make', '**/*.mk'],
				language: 'Shell',
				take: 10,
				why: 'quilt commands (quilt/*.in, bash)'
			},
			{
				glob: 'usr/share/quilt/scripts/{backup-files,inspect-wrapper,patchfns,utilfns}',
				language: 'Shell',
				take: 4,
				why: 'quilt/scripts bash helpers'
			},
			{ glob: 'usr/bin/{quilt,deb3,dpatch2quilt}', language: 'Shell', take: 2, why: 'shell front ends' },
			{
				glob: 'usr/share/quilt/scripts/{dependency-graph,edmail,remove-trailing-ws}',
				language: 'Perl',
				take: 2,
				why: 'quilt/scripts Perl helpers'
			},
			{
				glob: 'usr/bin/{guards,dh_quilt_patch,dh_quilt_unpatch}',
				language: 'Perl',
				take: 2,
				why: 'Perl tools (guards, debhelper add-ons)'
			},
			{
				glob: 'usr/share/{quilt/quilt.make,quilt/quilt.debbuild.mk,cdbs/1/rules/patchsys-quilt.mk}',
				language: 'Makefile',
				take: 3,
				why: 'make fragments'
			},
			MAN('1', 1)
		]
	},
	// --- Go, Rust, OCaml, JavaScript, Vim script ---
	{
		name: 'golang-github-spf13-cobra-dev',
		version: '1.6.1-1',
		rules: [{ glob: 'usr/share/gocode/src/**/*.go', language: 'Go', take: 10, why: 'Cobra is written in Go' }]
	},
	{
		name: 'librust-anyhow-dev',
		version: '1.0.69-1',
		rules: [
			{
				glob: 'usr/share/cargo/registry/anyhow-*/**/*.rs',
				language: 'Rust',
				take: 10,
				why: 'anyhow is written in Rust'
			},
			{ glob: 'usr/share/cargo/registry/anyhow-*/README.md', language: 'Markdown', take: 1, why: 'upstream README.md' }
		]
	},
	{
		name: 'libcmdliner-ocaml-dev',
		version: '1.1.1-1',
		rules: [
			{ glob: 'usr/lib/ocaml/cmdliner/*.{ml,mli}', language: 'OCaml', take: 1, why: 'Cmdliner is written in OCaml' },
			{
				glob: 'usr/share/doc/libcmdliner-ocaml-dev/examples/*.ml',
				language: 'OCaml',
				take: 9,
				why: 'upstream OCaml examples and tests'
			}
		]
	},
	{
		name: 'node-commander',
		version: '9.4.1-1',
		rules: [
			{
				glob: 'usr/share/nodejs/commander/**/*.js',
				language: 'JavaScript',
				take: 4,
				why: 'Commander.js is written in JavaScript'
			},
			{
				glob: 'usr/share/doc/node-commander/examples/*',
				language: 'JavaScript',
				take: 8,
				why: 'upstream examples (node scripts, some extensionless)'
			},
			{ glob: 'usr/share/nodejs/commander/package.json', language: 'JSON', take: 1, why: 'npm package manifest' }
		]
	},
	{
		name: 'vim-airline',
		version: '0.11-2',
		rules: [
			{
				glob: 'usr/share/vim-airline/**/*.vim',
				language: 'Vim script',
				take: 12,
				why: 'vim-airline is written in Vim script'
			}
		]
	},
	// --- SQL ---
	{
		name: 'icinga2-ido-mysql',
		version: '2.13.6-2+deb12u2',
		rules: [
			{
				glob: 'usr/share/icinga2-ido-mysql/schema/**/*.sql',
				language: 'SQL',
				take: 8,
				why: 'MySQL schema and upgrade scripts'
			}
		]
	},
	{
		name: 'postgresql-15-pgtap',
		version: '1.2.0-3',
		rules: [
			{
				glob: 'usr/share/postgresql/15/extension/pgtap--*--*.sql',
				exclude: ['**/*unpackaged*'],
				language: 'PLpgSQL',
				take: 8,
				why: 'pgTAP upgrade scripts: PostgreSQL function definitions (PL/pgSQL and SQL functions)'
			}
		]
	}
];

function globSource(glob: string): string {
	let out = '';
	for (let i = 0; i < glob.length; i++) {
		const c = glob[i];
		if (c === '*' && glob[i + 1] === '*') {
			if (glob[i + 2] === '/') {
				out += '(?:[^/]+/)*';
				i += 2;
			} else {
				out += '.*';
				i += 1;
			}
		} else if (c === '*') out += '[^/]*';
		else if (c === '?') out += '[^/]';
		else if (c === '{') {
			const end = glob.indexOf('}', i);
			if (end < 0) throw new Error(`unclosed { in glob ${glob}`);
			out += `(?:${glob
				.slice(i + 1, end)
				.split(',')
				.map(globSource)
				.join('|')})`;
			i = end;
		} else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
	}
	return out;
}

/** The glob as an anchored regular expression over a `/`-separated path. */
export function globToRegExp(glob: string): RegExp {
	return new RegExp(`^${globSource(glob)}$`);
}

/** Evenly spaced picks from a sorted list: indices floor(i * n / take), i = 0 .. take - 1 (all when n <= take). */
export function pickEvenly<T>(sorted: readonly T[], take: number): T[] {
	if (sorted.length <= take) return [...sorted];
	const picked: T[] = [];
	for (let i = 0; i < take; i++) picked.push(sorted[Math.floor((i * sorted.length) / take)]);
	return picked;
}

/** Files the package's rules ask for in all (before caps), for checks. */
export function plannedCount(pkg: RealProjectPackage): number {
	return pkg.rules.reduce((sum, rule) => sum + rule.take, 0);
}
