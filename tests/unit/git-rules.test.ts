// git-rules.ts: Git's pattern rules for .gitattributes (a folder pattern does not reach inside it, no slash
// matches at any depth, a leading slash anchors, later lines win, nested files apply below their folder) and
// .gitignore through `ignore`; lines it cannot use become warnings.
import { describe, expect, it } from 'vitest';
import { GitRules } from '../../src/lib/classify/git-rules.ts';

/** Git's rules with one .gitattributes at the root, of these lines. */
function rootAttributes(...lines: string[]): GitRules {
	const git = new GitRules();
	git.addAttributes('', lines.join('\n'));
	return git;
}

describe('GitRules', () => {
	it('matches attribute patterns the way Git does', () => {
		const git = rootAttributes(
			'docs/* linguist-documentation',
			'*.inc linguist-language=PHP',
			'/top.c linguist-vendored',
			'gen linguist-generated'
		);
		expect(git.attributesOf('docs/a.md').attributes.documentation).toBe(true);
		expect(git.attributesOf('docs/deeper/b.md').attributes.documentation).toBeUndefined(); // `*` stops at a slash
		expect(git.attributesOf('lib/x/y.inc').attributes.language).toBe('PHP'); // no slash: any depth
		expect(git.attributesOf('top.c').attributes.vendored).toBe(true);
		expect(git.attributesOf('sub/top.c').attributes.vendored).toBeUndefined(); // anchored
		expect(git.attributesOf('gen/parser.c').attributes.generated).toBeUndefined(); // a folder's pattern does not reach inside it
	});

	it('lets a later line unset what an earlier one set, and reads every boolean spelling', () => {
		const git = rootAttributes(
			'vendor/** linguist-vendored',
			'vendor/ours/** -linguist-vendored',
			'*.json linguist-detectable=true',
			'big.json linguist-detectable=false',
			'x.md !linguist-documentation'
		);
		expect(git.attributesOf('vendor/lib/a.c').attributes.vendored).toBe(true);
		expect(git.attributesOf('vendor/ours/a.c')).toEqual({
			attributes: { vendored: false },
			sources: { vendored: '.gitattributes:2 vendor/ours/** -linguist-vendored' }
		});
		expect(git.attributesOf('a.json').attributes.detectable).toBe(true);
		expect(git.attributesOf('big.json').attributes.detectable).toBe(false);
		expect(git.attributesOf('x.md').attributes).toEqual({}); // unspecified says nothing
	});

	it('applies a nested .gitattributes below its folder only', () => {
		const git = new GitRules();
		git.addAttributes('', '*.h linguist-language=C');
		git.addAttributes('cpp', '*.h linguist-language=C++');
		expect(git.attributesOf('a.h').attributes.language).toBe('C');
		expect(git.attributesOf('cpp/b.h').attributes.language).toBe('C++');
		expect(git.attributesOf('cppx/b.h').attributes.language).toBe('C');
	});

	it('names languages by name, alias or dashed name, and warns about what it cannot use', () => {
		const git = rootAttributes(
			'*.a linguist-language=cpp',
			'*.b linguist-language=Emacs-Lisp',
			'*.c linguist-language=NoSuchLanguage',
			'!*.d linguist-vendored'
		);
		expect(git.attributesOf('x.a').attributes.language).toBe('C++');
		expect(git.attributesOf('x.b').attributes.language).toBe('Emacs Lisp');
		expect(git.attributesOf('x.c').attributes).toEqual({});
		expect(git.warnings).toEqual([
			'.gitattributes:3 *.c linguist-language=NoSuchLanguage: unknown language NoSuchLanguage',
			'.gitattributes:4 !*.d linguist-vendored: negative patterns are forbidden in .gitattributes (ignored, as Git does)'
		]);
	});

	it('ignores what .gitignore files say, each below its folder, negations included', () => {
		const git = new GitRules();
		git.addIgnore('', 'build/\n*.log\n!keep.log');
		git.addIgnore('web', 'dist');
		expect(git.ignoredBy('build/out.c')).toBe('.gitignore');
		expect(git.ignoredBy('a/b/run.log')).toBe('.gitignore');
		expect(git.ignoredBy('keep.log')).toBeNull();
		expect(git.ignoredBy('web/dist/app.js')).toBe('web/.gitignore');
		expect(git.ignoredBy('dist/app.js')).toBeNull();
	});
});
