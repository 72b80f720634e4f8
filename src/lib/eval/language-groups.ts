// How the evaluation slices files: by tier (what the file name alone allows: one language, several, or no
// extension at all) and by the ambiguous-extension groups where name-based tools fail (.h, .m, .pl/.pm/.t, …).
import { languageCandidates } from '../classify/linguist-names.ts';

export type NameTier =
	'name allows one language' | 'name allows several languages' | 'extension unknown to Linguist' | 'no extension';

/** The ambiguous-extension groups of the report, in its order. */
export const AMBIGUOUS_GROUPS: ReadonlyArray<{ name: string; extensions: readonly string[] }> = [
	{ name: '.h', extensions: ['.h'] },
	{ name: '.m', extensions: ['.m'] },
	{ name: '.pl/.pm/.t', extensions: ['.pl', '.pm', '.t'] },
	{ name: '.sql', extensions: ['.sql'] },
	{ name: '.inc', extensions: ['.inc'] },
	{ name: '.v', extensions: ['.v'] },
	{ name: '.d', extensions: ['.d'] },
	{ name: '.fs', extensions: ['.fs'] },
	{ name: '.cl', extensions: ['.cl'] },
	{ name: '.bf', extensions: ['.bf'] }
];

export const NO_EXTENSION_GROUP = 'no extension';

const hasExtension = (fileName: string) => fileName.lastIndexOf('.') > 0;

export function nameTier(file: { fileName: string; content: string }): NameTier {
	if (!hasExtension(file.fileName)) return 'no extension';
	const allowed = languageCandidates(file.fileName, '').length;
	return allowed === 0
		? 'extension unknown to Linguist'
		: allowed === 1
			? 'name allows one language'
			: 'name allows several languages';
}

/** The ambiguous group a file falls in, or null. */
export function ambiguousGroup(fileName: string): string | null {
	if (!hasExtension(fileName)) return NO_EXTENSION_GROUP;
	const lower = fileName.toLowerCase();
	return (
		AMBIGUOUS_GROUPS.find((group) => group.extensions.some((extension) => lower.endsWith(extension)))?.name ?? null
	);
}
