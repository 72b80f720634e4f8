// Draws a confusion matrix as a standalone SVG heat map (rows: true label, columns: predicted label,
// each row shaded by its share of the row's files), for the evaluation report.
import { escapeXml } from '../svg-text.ts';
import type { ConfusionMatrix } from './classification-metrics.ts';

const CELL = 26;
const LABEL_SPACE = 150;

export function confusionSvg(matrix: ConfusionMatrix, title: string): string {
	const n = matrix.labels.length;
	const size = LABEL_SPACE + n * CELL + 10;
	const parts: string[] = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + 24}" font-family="sans-serif" font-size="10">`,
		`<text x="${size / 2}" y="14" text-anchor="middle" font-size="12">${escapeXml(title)}</text>`,
		`<g transform="translate(0,24)">`
	];
	matrix.labels.forEach((label, i) => {
		const center = LABEL_SPACE + i * CELL + CELL / 2;
		parts.push(
			`<text x="${LABEL_SPACE - 4}" y="${LABEL_SPACE + i * CELL + CELL / 2 + 3}" text-anchor="end">${escapeXml(label)}</text>`
		);
		parts.push(`<text transform="translate(${center + 3},${LABEL_SPACE - 4}) rotate(-60)">${escapeXml(label)}</text>`);
	});
	matrix.counts.forEach((row, i) => {
		const total = row.reduce((sum, count) => sum + count, 0);
		row.forEach((count, j) => {
			if (count === 0) return;
			const share = count / Math.max(total, 1);
			const colour = i === j ? `rgba(30,120,60,${0.15 + 0.85 * share})` : `rgba(200,50,40,${0.15 + 0.85 * share})`;
			const x = LABEL_SPACE + j * CELL;
			const y = LABEL_SPACE + i * CELL;
			parts.push(`<rect x="${x}" y="${y}" width="${CELL - 1}" height="${CELL - 1}" fill="${colour}"/>`);
			parts.push(`<text x="${x + CELL / 2}" y="${y + CELL / 2 + 3}" text-anchor="middle">${count}</text>`);
		});
	});
	parts.push(
		`<text x="${LABEL_SPACE}" y="${size}" font-size="9">rows: true language; columns: predicted</text>`,
		'</g>',
		'</svg>'
	);
	return parts.join('\n') + '\n';
}
