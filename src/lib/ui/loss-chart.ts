// Scales loss series (step, loss) into SVG polylines sharing one scale inside a width x height box with
// padding, each series' last point (a dot marks it), and the axis extremes to label; series without finite
// points give empty paths.

export interface LossPoint {
	step: number;
	loss: number;
}

export interface ChartGeometry {
	lines: string[];
	/** Each series' last point (drawn as a dot, so a single point shows), null for an empty series. */
	lastPoints: Array<{ x: number; y: number } | null>;
	minLoss: number;
	maxLoss: number;
	maxStep: number;
}

export function lossPolylines(
	series: LossPoint[][],
	width: number,
	height: number,
	pad: number,
	totalSteps = 0
): ChartGeometry {
	const finite = series.map((points) => points.filter((point) => Number.isFinite(point.loss)));
	const all = finite.flat();
	if (all.length === 0)
		return {
			lines: series.map(() => ''),
			lastPoints: series.map(() => null),
			minLoss: 0,
			maxLoss: 0,
			maxStep: totalSteps
		};
	const minLoss = Math.min(...all.map((point) => point.loss));
	const maxLoss = Math.max(...all.map((point) => point.loss));
	const maxStep = Math.max(totalSteps, ...all.map((point) => point.step), 1);
	const spread = maxLoss - minLoss;
	const x = (step: number) => pad + (step / maxStep) * (width - 2 * pad);
	// One loss value (e.g. a single step): mid-height rather than on the bottom edge.
	const y = (loss: number) => (spread === 0 ? height / 2 : pad + (1 - (loss - minLoss) / spread) * (height - 2 * pad));
	const lines = finite.map((points) =>
		points.map((point) => `${x(point.step).toFixed(1)},${y(point.loss).toFixed(1)}`).join(' ')
	);
	const lastPoints = finite.map((points) => {
		const last = points.at(-1);
		return last ? { x: Number(x(last.step).toFixed(1)), y: Number(y(last.loss).toFixed(1)) } : null;
	});
	return { lines, lastPoints, minLoss, maxLoss, maxStep };
}
