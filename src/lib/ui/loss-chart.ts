// Scales loss series (step, loss) into SVG polylines sharing one scale inside a width x height box with
// padding, and gives the axis extremes to label; series without finite points give empty paths.

export interface LossPoint {
	step: number;
	loss: number;
}

export interface ChartGeometry {
	lines: string[];
	minLoss: number;
	maxLoss: number;
	maxStep: number;
}

export function lossPolylines(series: LossPoint[][], width: number, height: number, pad: number, totalSteps = 0): ChartGeometry {
	const finite = series.map((points) => points.filter((point) => Number.isFinite(point.loss)));
	const all = finite.flat();
	if (all.length === 0) return { lines: series.map(() => ''), minLoss: 0, maxLoss: 0, maxStep: totalSteps };
	const minLoss = Math.min(...all.map((point) => point.loss));
	const maxLoss = Math.max(...all.map((point) => point.loss));
	const maxStep = Math.max(totalSteps, ...all.map((point) => point.step), 1);
	const spread = maxLoss - minLoss || 1;
	const x = (step: number) => pad + (step / maxStep) * (width - 2 * pad);
	const y = (loss: number) => pad + (1 - (loss - minLoss) / spread) * (height - 2 * pad);
	const lines = finite.map((points) => points.map((point) => `${x(point.step).toFixed(1)},${y(point.loss).toFixed(1)}`).join(' '));
	return { lines, minLoss, maxLoss, maxStep };
}
