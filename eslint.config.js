// ESLint for the TypeScript and Svelte sources (the formatter is Prettier: .prettierrc.json): JavaScript's and
// typescript-eslint's recommended rules and the Svelte plugin's, on browser and Node globals.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'.tmp/',
			'datasets/',
			'eval-data/',
			'experts/',
			'static/',
			'tests/fixtures/*/',
			'test-results/',
			'bench-results/',
			'eval-results/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			// `const { omitted, ...rest } = value` and `_`-named placeholders are how the code drops a field.
			'@typescript-eslint/no-unused-vars': [
				'error',
				{
					argsIgnorePattern: '^_',
					varsIgnorePattern: '^_',
					destructuredArrayIgnorePattern: '^_',
					ignoreRestSiblings: true
				}
			]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } }
	}
);
