// The code experts' own files: real Python and Rust sources from Debian 12 packages that are downloaded, never
// installed (built like the real-project set, labels by provenance), read by `expert eval` to measure what
// python-code and rust-code add on their own kind of file. Pure data.
import type { RealProjectPackage } from './real-project-set.ts';

const python = (name: string, version: string, dir: string, why: string): RealProjectPackage => ({
	name,
	version,
	rules: [
		{
			glob: `usr/lib/python3/dist-packages/${dir}/**/*.py`,
			exclude: ['**/__init__.py'],
			language: 'Python',
			take: 20,
			why
		}
	]
});

const rust = (crate: string, version: string, crateVersion: string): RealProjectPackage => ({
	name: `librust-${crate}-dev`,
	version,
	rules: [
		{
			glob: `usr/share/cargo/registry/${crate}-${crateVersion}/src/**/*.rs`,
			language: 'Rust',
			take: 10,
			why: `the ${crate} crate's Rust sources`
		}
	]
});

/** Which expert each language's files measure. */
export const CODE_EXPERT_OF_LANGUAGE: Readonly<Record<string, string>> = { Python: 'python-code', Rust: 'rust-code' };

export const CODE_EXPERT_PACKAGES: readonly RealProjectPackage[] = [
	python('python3-flask', '2.2.2-3', 'flask', 'Flask is written in Python'),
	python('python3-rich', '13.3.1-1', 'rich', 'Rich is written in Python'),
	rust('serde', '1.0.152-2', '1.0.152'),
	rust('regex', '1.7.1-1', '1.7.1'),
	rust('anyhow', '1.0.69-1', '1.0.69'),
	rust('rand', '0.8.5-1', '0.8.5')
];
