// The Train page's dataset worker (comlink): runs an offline generator over the corpus files the user
// picked (the train side of the split only) and returns the records as JSONL, reporting progress, so a
// dataset can be made in the browser without blocking the page.
import * as Comlink from 'comlink';
import { carryErrorCodes } from './error-transfer.ts';
import { corporaFromTextFiles } from '../datasets/corpus.ts';
import { createOfflineDataset, type DatasetRequest } from '../datasets/create-dataset.ts';
import type { DatasetRecord } from '../datasets/formats.ts';
import { createOfflineGenerator, domainNeedsCodeParser } from '../datasets/offline-generators.ts';
import { ExpertError } from '../errors.ts';
import type { DatasetWorkerApi } from './dataset-api.ts';

const api: DatasetWorkerApi = {
	async generate(corpusFiles, request: DatasetRequest, onProgress) {
		if (domainNeedsCodeParser(request.domain))
			throw new ExpertError(
				'needs-cli',
				`${request.domain} datasets need the tree-sitter parser: make them with \`expert-gen dataset create --domain ${request.domain}\``
			);
		const generator = createOfflineGenerator(request.domain, corporaFromTextFiles(corpusFiles), null);
		const records: DatasetRecord[] = [];
		const summary = await createOfflineDataset(request, generator, new Set(), {
			async append(batch) {
				records.push(...batch);
				await onProgress(records.length, request.count);
			}
		});
		return {
			jsonl: records.map((record) => JSON.stringify(record)).join('\n') + '\n',
			written: summary.written,
			duplicatesSkipped: summary.duplicatesSkipped
		};
	}
};

carryErrorCodes();
Comlink.expose(api);
