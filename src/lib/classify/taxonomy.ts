// The document-classification taxonomy (ARCHITECTURE.md, "Classification output") and the one prompt
// builder that dataset generation, training and the runtime classifier all share. Browser-safe.
import { languageCandidates } from './linguist-names.ts';

export const DOCUMENT_TYPES = [
	'source-code',
	'markup',
	'config',
	'data',
	'documentation',
	'query',
	'script',
	'build',
	'test',
	'other'
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Technologies the labeler can detect: frameworks, libraries, databases and formats. */
export const TECHNOLOGIES = [
	'neo4j',
	'flask',
	'django',
	'fastapi',
	'numpy',
	'pandas',
	'pytorch',
	'tensorflow',
	'tornado',
	'requests',
	'tokio',
	'serde',
	'actix',
	'react',
	'vue',
	'angular',
	'svelte',
	'jquery',
	'express',
	'node',
	'docker',
	'kubernetes',
	'terraform',
	'json-schema',
	'openapi',
	'graphql',
	'sql',
	'postgresql',
	'mysql',
	'sqlite',
	'mongodb',
	'redis',
	'spring',
	'rails',
	'qt',
	'gtk',
	'opengl',
	'boost',
	'junit',
	'pytest',
	'jest',
	'git',
	'npm'
] as const;
export type Technology = (typeof TECHNOLOGIES)[number];

export interface Classification {
	type: DocumentType;
	/** GitHub Linguist language name, or "none". */
	language: string;
	/** Sorted, without duplicates. */
	technologies: string[];
}

/** How much of a file the classifier sees (the embedded base model's context and CPU training favour short). */
export const CLASSIFICATION_PREFIX_CHARS = 512;

/**
 * The classification prompt for a file: its name, the languages Linguist's table allows for that name
 * (the model picks among them by content), and the first 512 characters of its content.
 */
export function classificationPrompt(file: { fileName: string; content: string }): string {
	const head = file.content.slice(0, CLASSIFICATION_PREFIX_CHARS);
	const candidates = languageCandidates(file.fileName, head);
	return (
		'Classify this file. Answer with JSON {"type","language","technologies"}: ' +
		`type is one of ${DOCUMENT_TYPES.join(', ')}; language is the GitHub Linguist language name or "none"; ` +
		'technologies lists the frameworks, libraries, databases and formats it uses.\n' +
		`File name: ${file.fileName}\n` +
		`Candidate languages: ${candidates.length > 0 ? candidates.join(', ') : 'any'}\n` +
		'---\n' +
		head
	);
}

/** The request whose answer is an excerpt of a file in a given language; the classifier scores each candidate
 * language by how likely it makes the file's text under this prompt. */
export function excerptPrompt(language: string, fileName: string): string {
	return `Write an excerpt of a ${language} file named ${fileName}.`;
}

/** The canonical answer text for a classification (fixed key order, sorted technologies). */
export function classificationAnswer(classification: Classification): string {
	return JSON.stringify({
		type: classification.type,
		language: classification.language,
		technologies: [...new Set(classification.technologies)].sort()
	});
}
