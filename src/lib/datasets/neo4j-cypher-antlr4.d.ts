// Type declarations for the two untyped @neo4j-cypher ANTLR packages, covering only what cypher-syntax.ts uses.
declare module '@neo4j-cypher/antlr4-browser' {
	const antlr4: {
		InputStream: new (text: string) => unknown;
		CommonTokenStream: new (lexer: unknown) => unknown;
	};
	export default antlr4;
}

declare module '@neo4j-cypher/antlr4' {
	interface Recognizer {
		removeErrorListeners(): void;
		addErrorListener(listener: unknown): void;
	}
	export class CypherLexer implements Recognizer {
		constructor(input: unknown);
		removeErrorListeners(): void;
		addErrorListener(listener: unknown): void;
	}
	export class CypherParser implements Recognizer {
		constructor(tokens: unknown);
		removeErrorListeners(): void;
		addErrorListener(listener: unknown): void;
		cypher(): unknown;
	}
}
