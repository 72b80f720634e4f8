// Turns a call that takes many inputs (one worker message for a batch of files) into a call per input: the inputs
// asked for in the same turn of the event loop, up to `maxBatch`, go out together; each caller gets its own answer.

export function batchedCalls<In, Out>(
	callMany: (inputs: In[]) => Promise<Out[]>,
	maxBatch: number
): (input: In) => Promise<Out> {
	const waiting: Array<{ input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }> = [];
	let scheduled = false;
	const send = () => {
		scheduled = false;
		const batch = waiting.splice(0, maxBatch);
		if (waiting.length > 0) schedule();
		if (batch.length === 0) return;
		callMany(batch.map((entry) => entry.input)).then(
			(outputs) => batch.forEach((entry, i) => entry.resolve(outputs[i])),
			(error: unknown) => batch.forEach((entry) => entry.reject(error))
		);
	};
	const schedule = () => {
		if (scheduled) return;
		scheduled = true;
		setTimeout(send, 0);
	};
	return (input) =>
		new Promise<Out>((resolve, reject) => {
			waiting.push({ input, resolve, reject });
			if (waiting.length >= maxBatch) send();
			else schedule();
		});
}
