// The Debian 12 source packages the language-identification data comes from, as plain data (pure, no I/O):
// real code in many languages, chosen off ../shared/eval-reserved.md, off the evaluation sets' packages and off
// what this machine has installed. `ambiguous` maps an extension the evidence chain cannot decide to the
// language the project is written in (project provenance, for single-language projects only).

export interface LanguageIdSourcePackage {
	/** Debian source package name (bookworm main). */
	name: string;
	/** The language the package is chosen for (what it adds; every certain label in it is used); absent for a
	 * collection of samples in many languages, where only what names decide labels a file. */
	language?: string;
	/** Extensions (with the dot) that Linguist's rules leave ambiguous, labelled by what the project is written in
	 * (beyond `language` itself, which labels any ambiguous name that allows it). */
	ambiguous?: Readonly<Record<string, string>>;
}

const C = { '.h': 'C' };
const CPP = { '.h': 'C++' };
const OBJC = { '.h': 'Objective-C', '.m': 'Objective-C' };
const PERL = { '.pm': 'Perl', '.pl': 'Perl', '.t': 'Perl', '.pod': 'Pod' };
const RAKU = { '.pm': 'Raku', '.pm6': 'Raku', '.pl': 'Raku', '.t': 'Raku', '.rakumod': 'Raku' };
const MATLAB = { '.m': 'MATLAB' };

export const LANGUAGE_ID_SOURCE_PACKAGES: readonly LanguageIdSourcePackage[] = [
	// C
	{ name: 'libconfuse', language: 'C', ambiguous: C },
	{ name: 'libmicrohttpd', language: 'C', ambiguous: C },
	{ name: 'libestr', language: 'C', ambiguous: C },
	{ name: 'argtable2', language: 'C', ambiguous: C },
	{ name: 'libcsv', language: 'C', ambiguous: C },
	{ name: 'libtommath', language: 'C', ambiguous: C },
	{ name: 'libtomcrypt', language: 'C', ambiguous: C },
	// C++
	{ name: 'tinyxml2', language: 'C++', ambiguous: CPP },
	{ name: 'yaml-cpp', language: 'C++', ambiguous: CPP },
	{ name: 'nlohmann-json3', language: 'C++', ambiguous: CPP },
	{ name: 'catch2', language: 'C++', ambiguous: CPP },
	{ name: 'pugixml', language: 'C++', ambiguous: CPP },
	{ name: 'glm', language: 'C++', ambiguous: CPP },
	{ name: 'cli11', language: 'C++', ambiguous: CPP },
	{ name: 'keepassxc', language: 'C++', ambiguous: CPP },
	{ name: 'qbittorrent', language: 'C++', ambiguous: CPP },
	{ name: 'qpdfview', language: 'C++', ambiguous: CPP },
	{ name: 'speedcrunch', language: 'C++', ambiguous: CPP },
	{ name: 'konsole', language: 'C++', ambiguous: CPP },
	// Objective-C (GNUstep applications)
	{ name: 'cynthiune.app', language: 'Objective-C', ambiguous: OBJC },
	{ name: 'gomoku.app', language: 'Objective-C', ambiguous: OBJC },
	{ name: 'gridlock.app', language: 'Objective-C', ambiguous: OBJC },
	{ name: 'helpviewer.app', language: 'Objective-C', ambiguous: OBJC },
	{ name: 'lusernet.app', language: 'Objective-C', ambiguous: OBJC },
	{ name: 'price.app', language: 'Objective-C', ambiguous: OBJC },
	{ name: 'sogo', language: 'Objective-C', ambiguous: OBJC },
	{ name: 'projectcenter.app', language: 'Objective-C', ambiguous: OBJC },
	// JVM
	{ name: 'scala', language: 'Scala' },
	{ name: 'core-async-clojure', language: 'Clojure' },
	{ name: 'data-json-clojure', language: 'Clojure' },
	{ name: 'medley-clojure', language: 'Clojure' },
	{ name: 'jcommander', language: 'Java' },
	{ name: 'jsoup', language: 'Java' },
	{ name: 'junit4', language: 'Java' },
	{ name: 'jline3', language: 'Java' },
	{ name: 'groovy', language: 'Groovy' },
	{ name: 'kotlin', language: 'Kotlin' },
	// scripting
	{ name: 'node-moment', language: 'JavaScript' },
	{ name: 'node-preact', language: 'JavaScript' },
	{ name: 'node-redux', language: 'TypeScript' },
	{ name: 'node-tslib', language: 'TypeScript' },
	{ name: 'node-coffeeify', language: 'CoffeeScript' },
	{ name: 'dart', language: 'Dart' },
	{ name: 'python-whoosh', language: 'Python' },
	{ name: 'ruby-builder', language: 'Ruby' },
	{ name: 'ruby-hashie', language: 'Ruby' },
	{ name: 'ruby-oj', language: 'Ruby' },
	{ name: 'lua-argparse', language: 'Lua' },
	{ name: 'lua-inspect', language: 'Lua' },
	{ name: 'lua-json', language: 'Lua' },
	{ name: 'lua-luassert', language: 'Lua' },
	{ name: 'lua-say', language: 'Lua' },
	{ name: 'itcl3', language: 'Tcl' },
	{ name: 'blt', language: 'Tcl' },
	{ name: 'octave-dataframe', language: 'MATLAB', ambiguous: MATLAB },
	{ name: 'octave-interval', language: 'MATLAB', ambiguous: MATLAB },
	{ name: 'octave-linear-algebra', language: 'MATLAB', ambiguous: MATLAB },
	{ name: 'octave-nan', language: 'MATLAB', ambiguous: MATLAB },
	{ name: 'octave-optim', language: 'MATLAB', ambiguous: MATLAB },
	{ name: 'octave-struct', language: 'MATLAB', ambiguous: MATLAB },
	{ name: 'toolz', language: 'Python' },
	{ name: 'docopt', language: 'Python' },
	{ name: 'libmoox-options-perl', language: 'Perl', ambiguous: PERL },
	{ name: 'libmoo-perl', language: 'Perl', ambiguous: PERL },
	{ name: 'libtemplate-perl', language: 'Perl', ambiguous: PERL },
	{ name: 'libpath-tiny-perl', language: 'Perl', ambiguous: PERL },
	{ name: 'raku-tap-harness', language: 'Raku', ambiguous: RAKU },
	{ name: 'raku-file-which', language: 'Raku', ambiguous: RAKU },
	{ name: 'raku-readline', language: 'Raku', ambiguous: RAKU },
	{ name: 'php-monolog', language: 'PHP' },
	{ name: 'php-league-commonmark', language: 'PHP' },
	{ name: 'php-nikic-fast-route', language: 'PHP' },
	{ name: 'php-psr-log', language: 'PHP' },
	{ name: 'node-yargs', language: 'JavaScript' },
	{ name: 'node-lodash', language: 'JavaScript' },
	{ name: 'node-marked', language: 'JavaScript' },
	{ name: 'node-vinyl', language: 'JavaScript' },
	{ name: 'lua-lpeg', language: 'Lua' },
	{ name: 'jimtcl', language: 'Tcl' },
	{ name: 'r-cran-jsonlite', language: 'R' },
	{ name: 'r-cran-rcpp', language: 'R' },
	{ name: 'r-cran-testthat', language: 'R' },
	{ name: 'r-cran-ggplot2', language: 'R' },
	// systems and compiled
	{ name: 'elpa', language: 'Fortran' },
	{ name: 'mumps', language: 'Fortran' },
	{ name: 'netcdf-fortran', language: 'Fortran' },
	{ name: 'rust-hex', language: 'Rust' },
	{ name: 'rust-fnv', language: 'Rust' },
	{ name: 'rust-hashbrown', language: 'Rust' },
	{ name: 'rust-libc', language: 'Rust' },
	{ name: 'granite', language: 'Vala' },
	{ name: 'ahven', language: 'Ada' },
	{ name: 'nunit', language: 'C#' },
	{ name: 'cqrlog', language: 'Pascal', ambiguous: { '.inc': 'Pascal', '.pp': 'Pascal' } },
	{ name: 'ddrescueview', language: 'Pascal', ambiguous: { '.inc': 'Pascal', '.pp': 'Pascal' } },
	{ name: 'mricron', language: 'Pascal', ambiguous: { '.inc': 'Pascal', '.pp': 'Pascal' } },
	{ name: 'golang-testify', language: 'Go' },
	{ name: 'golang-toml', language: 'Go' },
	{ name: 'golang-logrus', language: 'Go' },
	{ name: 'golang-github-pkg-errors', language: 'Go' },
	{ name: 'golang-github-gorilla-mux', language: 'Go' },
	{ name: 'nim', language: 'Nim' },
	{ name: 'keepass2', language: 'C#' },
	{ name: 'fftw3', language: 'Fortran' },
	{ name: 'minpack', language: 'Fortran' },
	{ name: 'gnucobol3', language: 'COBOL' },
	{ name: 'nasm', language: 'Assembly' },
	// functional
	{ name: 'haskell-aeson', language: 'Haskell' },
	{ name: 'haskell-unordered-containers', language: 'Haskell' },
	{ name: 'haskell-optparse-applicative', language: 'Haskell' },
	{ name: 'haskell-split', language: 'Haskell' },
	{ name: 'haskell-quickcheck', language: 'Haskell' },
	{ name: 'ocaml-re', language: 'OCaml' },
	{ name: 'ocamlgraph', language: 'OCaml' },
	{ name: 'menhir', language: 'OCaml' },
	{ name: 'yojson', language: 'OCaml' },
	{ name: 'elixir-lang', language: 'Elixir' },
	{ name: 'erlang', language: 'Erlang' },
	{ name: 'rabbitmq-server', language: 'Erlang' },
	{ name: 'gprolog', language: 'Prolog', ambiguous: { '.pl': 'Prolog', '.pro': 'Prolog' } },
	{ name: 'coq', language: 'Rocq Prover', ambiguous: { '.v': 'Rocq Prover' } },
	// hardware description
	{ name: 'iverilog', language: 'Verilog', ambiguous: { '.v': 'Verilog' } },
	{ name: 'yosys', language: 'Verilog', ambiguous: { '.v': 'Verilog' } },
	{ name: 'ghdl', language: 'VHDL' },
	{ name: 'verilator', language: 'SystemVerilog' },
	// editors and tools
	{ name: 'graphviz', language: 'Graphviz (DOT)' },
	{ name: 'gnuplot', language: 'Gnuplot' },
	{ name: 'openscad', language: 'OpenSCAD' },
	{ name: 'texinfo', language: 'Texinfo' },
	{ name: 'bison', language: 'Yacc' },
	{ name: 'autoconf', language: 'M4Sugar' },
	{ name: 'fish', language: 'fish' },
	{ name: 'maxima', language: 'Common Lisp' },
	{ name: 'neovim', language: 'Vim script' },
	// syntax highlighters' test files: a few files in each of many languages (bat's tests/syntax-tests, GtkSourceView's tests)
	{ name: 'rust-bat' },
	{ name: 'gtksourceview5' }
];
