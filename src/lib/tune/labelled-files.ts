// Labels for tuning: from folder names (`<Language>/<file>` or `<Language>/filenames/<name>`, as Linguist's
// samples are laid out; any depth under the language folder; a name without `*` or an alias also counts) or from a CSV of `path,language` rows. A label
// must be a GitHub Linguist language name; every problem is one line naming the file or row. Browser-safe.
import { ExpertError } from '../errors.ts';
import { LINGUIST_LANGUAGES, languageOfFolderName } from '../classify/linguist-names.ts';

export interface LabelledText {
	/** Path relative to the labelled folder, `/`-separated. */
	path: string;
	fileName: string;
	content: string;
	language: string;
}

const KNOWN = new Set(LINGUIST_LANGUAGES);

function checkLanguage(language: string, where: string): string {
	if (!KNOWN.has(language))
		throw new ExpertError('bad-label', `${where}: "${language}" is not a GitHub Linguist language name`);
	return language;
}

const baseName = (relative: string) => relative.slice(relative.lastIndexOf('/') + 1);

/** The language a file's first folder names (`Python/x.py` is Python, `Fstar/x.fst` F*), or why it names none. */
function folderLabel(relative: string): { language: string } | { problem: string } {
	const slash = relative.indexOf('/');
	if (slash <= 0) return { problem: 'not inside a language folder (expected <Language>/<file>)' };
	const folder = relative.slice(0, slash);
	const language = languageOfFolderName(folder);
	return language ? { language } : { problem: `"${folder}" is not a GitHub Linguist language name` };
}

/** One CSV field list per line (RFC 4180 quotes), header `path,language` required. */
function parseCsv(text: string, source: string): Array<{ row: number; path: string; language: string }> {
	const rows: string[][] = [];
	let field = '';
	let fields: string[] = [];
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			fields.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			fields.push(field);
			rows.push(fields);
			fields = [];
			field = '';
		} else field += c;
	}
	if (quoted) throw new ExpertError('bad-labels', `${source}: a quoted field is not closed`);
	if (field !== '' || fields.length > 0) {
		fields.push(field);
		rows.push(fields);
	}
	const nonEmpty = rows
		.map((cells, index) => ({ cells, row: index + 1 }))
		.filter(({ cells }) => cells.some((cell) => cell.trim() !== ''));
	const header = nonEmpty.shift()?.cells.map((cell) => cell.trim().toLowerCase()) ?? [];
	const pathColumn = header.indexOf('path');
	const languageColumn = header.indexOf('language');
	if (pathColumn < 0 || languageColumn < 0)
		throw new ExpertError('bad-labels', `${source}: the first row must name the columns path and language`);
	return nonEmpty.map(({ cells, row }) => {
		const path = (cells[pathColumn] ?? '').trim();
		const language = (cells[languageColumn] ?? '').trim();
		if (!path || !language)
			throw new ExpertError('bad-labels', `${source} row ${row}: path and language must both be given`);
		return { row, path, language: checkLanguage(language, `${source} row ${row}`) };
	});
}

/** Labels of a CSV by path; a path listed twice is an error. */
export function labelsFromCsv(text: string, source: string): Map<string, string> {
	const labels = new Map<string, string>();
	for (const { row, path, language } of parseCsv(text, source)) {
		if (labels.has(path)) throw new ExpertError('bad-labels', `${source} row ${row}: ${path} is listed twice`);
		labels.set(path, language);
	}
	return labels;
}

/** Labelled texts from files and (optionally) CSV labels; without a CSV, folder names label the files. A file
 * without a usable label is skipped with the reason; a CSV row naming a file that is not there is an error. */
export function labelFiles(
	files: Array<{ path: string; content: string }>,
	csvLabels?: Map<string, string>
): { files: LabelledText[]; skipped: Array<{ path: string; problem: string }> } {
	const skipped: Array<{ path: string; problem: string }> = [];
	if (csvLabels) {
		const byPath = new Map(files.map((file) => [file.path, file]));
		for (const file of files)
			if (!csvLabels.has(file.path)) skipped.push({ path: file.path, problem: 'not in the labels CSV' });
		const labelled = [...csvLabels].map(([path, language]) => {
			const file = byPath.get(path);
			if (!file) throw new ExpertError('bad-labels', `labels name ${path}, which is not among the files`);
			return { path, fileName: baseName(path), content: file.content, language };
		});
		return { files: labelled, skipped };
	}
	const labelled: LabelledText[] = [];
	for (const file of files) {
		const label = folderLabel(file.path);
		if ('problem' in label) skipped.push({ path: file.path, problem: label.problem });
		else
			labelled.push({
				path: file.path,
				fileName: baseName(file.path),
				content: file.content,
				language: label.language
			});
	}
	return { files: labelled, skipped };
}
