// repository-exclusions.ts on the real files of tests/fixtures/repository (PROVENANCE.md): each exclusion kind
// by Linguist's own rules and by each .gitattributes attribute, .gitignore, and the files that stay in.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitRules } from '../../src/lib/classify/git-rules.ts';
import { nodeLinguistPathRules } from '../../src/lib/classify/linguist-heuristics-fs.ts';
import { repositoryVerdict } from '../../src/lib/classify/repository-exclusions.ts';

const TREE = path.resolve(import.meta.dirname, '../fixtures/repository');
const git = new GitRules();
git.addAttributes('', readFileSync(path.join(TREE, '.gitattributes'), 'utf8'));
git.addIgnore('', readFileSync(path.join(TREE, '.gitignore'), 'utf8'));
const verdictOf = (file: string) =>
	repositoryVerdict(nodeLinguistPathRules(), git, file, readFileSync(path.join(TREE, file), 'utf8'));
/** A file's exclusion as [kind, reason], or null when it counts. */
const excluded = (file: string) => {
	const exclusion = verdictOf(file).exclusion;
	return exclusion && [exclusion.kind, exclusion.reason];
};

describe('repository exclusions on real files', () => {
	it('vendored: by vendor.yml (minified bundle), and by a linguist-vendored line', () => {
		expect(excluded('vendor/jquery.flot-0.8.1.time.min.js')).toEqual(['vendored', 'vendor.yml (\\.|-)min\\.(js|css)$']);
		expect(excluded('third/lapi.h')).toEqual(['vendored', '.gitattributes:3 third/** linguist-vendored']);
	});

	it('-linguist-vendored keeps a file vendor.yml would leave out', () => {
		expect(verdictOf('vendor/say_spec.lua').exclusion).toBeNull();
	});

	it("generated: by generated.rb's content rules (minified, compiled CoffeeScript, source map, protoc), its path list, and linguist-generated", () => {
		expect(verdictOf('web/flot-time.js').exclusion?.reason).toBe('generated.rb minified_files');
		expect(verdictOf('web/stomp.js').exclusion?.reason).toBe('generated.rb compiled_coffeescript');
		expect(verdictOf('web/Main.js.map').exclusion?.reason).toBe('generated.rb source_map');
		expect(verdictOf('proto/DebugExtOptionsProtoBuf.java').exclusion?.reason).toBe(
			'generated.rb generated_protocol_buffer'
		);
		expect(excluded('Cargo.lock')).toEqual(['generated', 'generated.rb Cargo\\.lock']);
		expect(excluded('etc/lfunc.c')).toEqual(['generated', '.gitattributes:5 etc/*.c linguist-generated']);
	});

	it('documentation: by documentation.yml and by linguist-documentation; linguist-documentation=false keeps doc/readme.html', () => {
		expect(excluded('README')).toEqual(['documentation', 'documentation.yml (^|/)README(\\.|$)']);
		expect(excluded('guide/util.lua')).toEqual(['documentation', '.gitattributes:6 guide/** linguist-documentation']);
		expect(verdictOf('doc/readme.html').exclusion).toBeNull();
	});

	it(".gitignore'd files are left out, with the file that says so", () => {
		expect(excluded('build/lzio.c')).toEqual(['gitignored', 'left out by .gitignore']);
	});

	it('linguist-language and linguist-detectable come through as attributes, with their lines', () => {
		expect(verdictOf('src/lstring.h')).toMatchObject({
			exclusion: null,
			attributes: { language: 'C++' },
			sources: { language: '.gitattributes:2 *.h linguist-language=C++' }
		});
		expect(verdictOf('data/pass3.json').attributes.detectable).toBe(true);
		expect(verdictOf('src/say.lua').attributes.detectable).toBe(false);
	});

	it('real source files stay in', () => {
		for (const file of ['src/lstring.c', 'data/pass3-copy.json'])
			expect(verdictOf(file), file).toMatchObject({ exclusion: null, attributes: {} });
	});
});
