// Ground-truth labels for document classification, the shared classification prompt, and the held-out
// train/eval split of corpus files. (<1 s)
import { describe, expect, it } from 'vitest';
import { documentTypeOf } from '../../src/lib/classify/document-type.ts';
import { technologiesOf } from '../../src/lib/classify/technology-evidence.ts';
import { labelCorpusFile } from '../../src/lib/datasets/labels.ts';
import {
	classificationAnswer,
	classificationPrompt,
	CLASSIFICATION_PREFIX_CHARS,
	DOCUMENT_TYPES
} from '../../src/lib/classify/taxonomy.ts';
import { assignCorpusSplit, trainFiles, type CorpusFile } from '../../src/lib/datasets/corpus.ts';

describe('document labels', () => {
	it('types files by language, refined by file-name rules', () => {
		expect(documentTypeOf('Python', 'app.py')).toBe('source-code');
		expect(documentTypeOf('Python', 'test_app.py')).toBe('test');
		expect(documentTypeOf('JavaScript', 'widget.spec.js')).toBe('test');
		expect(documentTypeOf('JSON', 'spec.json')).toBe('data');
		expect(documentTypeOf('Dockerfile', 'Dockerfile')).toBe('build');
		expect(documentTypeOf('Text', 'Makefile')).toBe('build');
		expect(documentTypeOf('CMake', 'CMakeLists.txt')).toBe('build');
		expect(documentTypeOf('Text', 'README')).toBe('documentation');
		expect(documentTypeOf('Markdown', 'guide.md')).toBe('documentation');
		expect(documentTypeOf('Shell', 'deploy.sh')).toBe('script');
		expect(documentTypeOf('Cypher', 'q.cypher')).toBe('query');
		expect(documentTypeOf('SQL', 'schema.sql')).toBe('query');
		expect(documentTypeOf('YAML', '.clang-format')).toBe('config');
		expect(documentTypeOf('HTML', 'index.html')).toBe('markup');
		expect(documentTypeOf('none', 'blob')).toBe('other');
		for (const type of [
			...['source-code', 'test', 'data', 'build', 'documentation'],
			...['script', 'query', 'config', 'markup', 'other']
		])
			expect(DOCUMENT_TYPES).toContain(type);
	});

	it('detects technologies from imports, crates and keywords', () => {
		expect(technologiesOf('Python', 'app.py', 'from flask import Flask\nimport numpy as np\n')).toEqual([
			'flask',
			'numpy'
		]);
		expect(technologiesOf('Python', 'x.py', 'print("flask is nice")')).toEqual([]);
		expect(
			technologiesOf('Rust', 'main.rs', 'use tokio::net::TcpListener;\n#[derive(Serialize, Deserialize)]\nstruct A;')
		).toEqual(['serde', 'tokio']);
		expect(technologiesOf('Cypher', 'q.cyp', 'MATCH (n) RETURN n')).toEqual(['neo4j']);
		expect(technologiesOf('JSON', 'schema.json', '{"$schema": "http://json-schema.org/draft-07/schema#"}')).toEqual([
			'json-schema'
		]);
		expect(technologiesOf('Dockerfile', 'Dockerfile', 'FROM debian\nRUN apt-get update\n')).toEqual(['docker']);
		expect(technologiesOf('TypeScript', 'app.tsx', "import React from 'react';")).toEqual(['react']);
		expect(
			labelCorpusFile({ language: 'Python', fileName: 'test_db.py', content: 'import pytest\nimport sqlite3\n' })
		).toEqual({ type: 'test', language: 'Python', technologies: ['pytest', 'sqlite'] });
	});

	it('builds the one classification prompt from the file name and the first ~1 KB, and a canonical answer', () => {
		const content = 'x'.repeat(CLASSIFICATION_PREFIX_CHARS) + 'TAIL';
		const prompt = classificationPrompt({ fileName: 'big.txt', content });
		expect(prompt).toContain('File name: big.txt');
		expect(prompt).toContain('x'.repeat(CLASSIFICATION_PREFIX_CHARS));
		expect(prompt).not.toContain('TAIL');
		expect(classificationAnswer({ type: 'data', language: 'JSON', technologies: ['npm', 'json-schema', 'npm'] })).toBe(
			'{"type":"data","language":"JSON","technologies":["json-schema","npm"]}'
		);
	});
});

describe('held-out corpus split', () => {
	const files: CorpusFile[] = Array.from({ length: 1200 }, (_, i) => {
		const language = `Lang${i % 300}`;
		return { path: `${language}/file${i}.txt`, language, fileName: `file${i}.txt`, content: '' };
	});

	it('holds out about 20% by path, deterministically, and keeps a train file for every language with two or more files', () => {
		const split = assignCorpusSplit(files);
		const evalShare = [...split.values()].filter((s) => s === 'eval').length / files.length;
		expect(evalShare).toBeGreaterThan(0.14);
		expect(evalShare).toBeLessThan(0.26);
		expect(assignCorpusSplit([...files].reverse())).toEqual(split);
		const trainLanguages = new Set(trainFiles(files).map((f) => f.language));
		expect(trainLanguages.size).toBe(300);
		const pair: CorpusFile[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].flatMap((n) =>
			[`X${n}/1`, `X${n}/2`].map((p) => ({ path: p, language: p.split('/')[0], fileName: '1', content: '' }))
		);
		for (const language of new Set(pair.map((f) => f.language)))
			expect(trainFiles(pair).some((f) => f.language === language)).toBe(true);
	});
});
