// Turns a call that takes many inputs (one worker message for a batch of files) into a call per input: inputs
// asked for while a batch is out wait for it and go together in the next one, up to `maxBatch`; one batch is out
// at a time (the worker's model runs one file after another); each caller gets its own answer.

export function batchedCalls<In, Out>(
	callMany: (inputs: In[]) => Promise<Out[]>,
	maxBatch: number
): (input: In) => Promise<Out> {
	const waiting: Array<{ input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }> = [];
	let busy = false;
	const send = () => {
		if (busy || waiting.length === 0) return;
		busy = true;
		const batch = waiting.splice(0, maxBatch);
		callMany(batch.map((entry) => entry.input))
			.then(
				(outputs) => batch.forEach((entry, i) => entry.resolve(outputs[i])),
				(error: unknown) => batch.forEach((entry) => entry.reject(error))
			)
			.finally(() => {
				busy = false;
				send();
			});
	};
	return (input) =>
		new Promise<Out>((resolve, reject) => {
			waiting.push({ input, resolve, reject });
			// The inputs asked for in this turn of the event loop go out together.
			setTimeout(send, 0);
		});
}
