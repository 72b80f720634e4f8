// Syntax-checks Cypher with Neo4j's own ANTLR grammar (@neo4j-cypher/antlr4, the parser behind Neo4j's
// Cypher editor; runs on Node 20 and in the browser): the list of syntax errors, empty when it parses.
import antlr4 from '@neo4j-cypher/antlr4-browser';
import { CypherLexer, CypherParser } from '@neo4j-cypher/antlr4';

interface SyntaxErrorListener {
	syntaxError(recognizer: unknown, symbol: unknown, line: number, column: number, message: string): void;
	reportAmbiguity(): void;
	reportAttemptingFullContext(): void;
	reportContextSensitivity(): void;
}

export function cypherSyntaxErrors(query: string): string[] {
	const errors: string[] = [];
	const listener: SyntaxErrorListener = {
		syntaxError: (_recognizer, _symbol, line, column, message) => errors.push(`${line}:${column} ${message}`),
		reportAmbiguity: () => {},
		reportAttemptingFullContext: () => {},
		reportContextSensitivity: () => {}
	};
	const lexer = new CypherLexer(new antlr4.InputStream(query));
	const parser = new CypherParser(new antlr4.CommonTokenStream(lexer));
	lexer.removeErrorListeners();
	parser.removeErrorListeners();
	lexer.addErrorListener(listener);
	parser.addErrorListener(listener);
	parser.cypher();
	return errors;
}
