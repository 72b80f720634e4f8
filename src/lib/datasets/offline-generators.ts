// Chooses the offline generator for a domain and hands it the train side of the corpora only (the
// held-out eval files never reach a generator).
import type { Domain } from './formats.ts';
import { trainFiles, type Corpora } from './corpus.ts';
import type { CodeFactExtractor } from './code-facts.ts';
import type { OfflineGenerator } from './generators/generator.ts';
import { createJsonParsingGenerator } from './generators/json-parsing.ts';
import { createNeo4jCypherGenerator } from './generators/neo4j-cypher.ts';
import { createSourceCodeGenerator } from './generators/source-code.ts';
import { createEnglishLanguageGenerator } from './generators/english-language.ts';
import { createDocumentClassificationGenerator } from './generators/document-classification.ts';

/** Whether a domain needs the tree-sitter code parser. */
export function domainNeedsCodeParser(domain: Domain): boolean {
	return domain === 'python-code' || domain === 'rust-code';
}

export function createOfflineGenerator(
	domain: Domain,
	corpora: Corpora,
	codeFacts: CodeFactExtractor | null
): OfflineGenerator {
	const train: Corpora = { ...corpora, linguist: trainFiles(corpora.linguist) };
	switch (domain) {
		case 'json-parsing':
			return createJsonParsingGenerator(train);
		case 'neo4j-cypher':
			return createNeo4jCypherGenerator(train);
		case 'english-language':
			return createEnglishLanguageGenerator(train);
		case 'document-classification':
			return createDocumentClassificationGenerator(train);
		case 'python-code':
		case 'rust-code':
			if (!codeFacts) throw new Error(`${domain} needs a code parser`);
			return createSourceCodeGenerator(domain, domain === 'python-code' ? 'python' : 'rust', train, codeFacts);
	}
}
