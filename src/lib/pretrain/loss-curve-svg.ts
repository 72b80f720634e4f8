// Draws a training loss curve as a small standalone SVG (raw per-step loss faint, a moving average bold),
// with axes labelled in training tokens and loss; used by the base model's model card and `expert train --loss-curve`.
import { escapeXml } from '../svg-text.ts';

export interface LossPoint {
	tokens: number;
	loss: number;
}

const WIDTH = 640;
const HEIGHT = 320;
const MARGIN = { left: 56, right: 16, top: 28, bottom: 44 };

/** Mean over a trailing window of `span` points. */
export function movingAverage(values: number[], span: number): number[] {
	let sum = 0;
	return values.map((value, index) => {
		sum += value;
		if (index >= span) sum -= values[index - span];
		return sum / Math.min(index + 1, span);
	});
}

function formatTokens(tokens: number): string {
	if (tokens >= 1e6) return `${(tokens / 1e6).toFixed(1)}M`;
	if (tokens >= 1e3) return `${Math.round(tokens / 1e3)}k`;
	return String(tokens);
}

/** The SVG document for `points` (at least two), titled `title`. */
export function lossCurveSvg(points: LossPoint[], title: string): string {
	if (points.length < 2) throw new RangeError('a loss curve needs at least two points');
	const maxTokens = points[points.length - 1].tokens;
	const minTokens = points[0].tokens;
	const losses = points.map((point) => point.loss);
	const low = Math.floor(Math.min(...losses));
	const high = Math.ceil(Math.max(...losses));
	const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
	const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
	const x = (tokens: number) => MARGIN.left + ((tokens - minTokens) / Math.max(1, maxTokens - minTokens)) * plotWidth;
	const y = (loss: number) => MARGIN.top + (1 - (loss - low) / Math.max(1e-9, high - low)) * plotHeight;
	const path = (values: number[]) =>
		values.map((loss, i) => `${i === 0 ? 'M' : 'L'}${x(points[i].tokens).toFixed(1)},${y(loss).toFixed(1)}`).join(' ');
	const smoothed = movingAverage(losses, Math.max(1, Math.round(points.length / 50)));
	const yTicks = Array.from({ length: high - low + 1 }, (_, i) => low + i);
	const xTicks = Array.from({ length: 5 }, (_, i) => minTokens + ((maxTokens - minTokens) * i) / 4);
	const lines = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
		`<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
		`<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`,
		...yTicks.map(
			(tick) =>
				`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#e5e5e5"/>` +
				`<text x="${MARGIN.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${tick}</text>`
		),
		...xTicks.map(
			(tick) =>
				`<text x="${x(tick).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${formatTokens(Math.round(tick))}</text>`
		),
		`<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 8}" text-anchor="middle">training tokens</text>`,
		`<text x="14" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 14 ${MARGIN.top + plotHeight / 2})">loss (nats/token)</text>`,
		`<path d="${path(losses)}" fill="none" stroke="#9ecae1" stroke-width="1"/>`,
		`<path d="${path(smoothed)}" fill="none" stroke="#08519c" stroke-width="2"/>`,
		`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`,
		'</svg>'
	];
	return lines.join('\n') + '\n';
}
