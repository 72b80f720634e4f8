// Ctrl-C during a long command: the first SIGINT only asks the run to stop after the current file (it checks
// `isInterrupted`), so every row already printed stays and the summary still comes.
export async function interruptible<T>(run: (isInterrupted: () => boolean) => Promise<T>): Promise<T> {
	let interrupted = false;
	const onInterrupt = () => (interrupted = true);
	process.once('SIGINT', onInterrupt);
	try {
		return await run(() => interrupted);
	} finally {
		process.removeListener('SIGINT', onInterrupt);
	}
}
