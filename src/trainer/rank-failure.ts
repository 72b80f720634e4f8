// Why a job on several ranks failed, in one line: the rank that failed by itself, not the ranks that lost it.
// A rank that raised says so in a `failed` event (with `peer_lost` when it only lost another rank); one that died
// without a word (killed, crashed) is found in torchrun's failure summary on stderr, with its last log line.

export interface RankFailure {
	/** The global rank (absent when the worker ran alone). */
	rank?: number;
	message: string;
	/** The rank failed because another went away during an exchange. */
	peer_lost?: boolean;
}

interface SilentExit {
	rank: number;
	pid: number;
	exitCode: number;
}

// torchrun (torch.distributed.elastic) lists each failed rank as "rank : 1 (local_rank: 1)" then "exitcode : -9 (pid: 24072)".
const TORCHRUN_FAILURE = /rank\s*:\s*(\d+) \(local_rank: \d+\)\s*\n\s*exitcode\s*:\s*(-?\d+) \(pid: (\d+)\)/g;

function torchrunFailures(log: string): SilentExit[] {
	return [...log.matchAll(TORCHRUN_FAILURE)].map((match) => ({
		rank: Number(match[1]),
		exitCode: Number(match[2]),
		pid: Number(match[3])
	}));
}

/** The last non-empty line a rank wrote to stderr (the worker prefixes its lines with `[rank N] `). */
function lastLogLine(log: string, rank: number): string | null {
	const prefix = `[rank ${rank}] `;
	const lines = log.split('\n').filter((line) => line.startsWith(prefix) && line.slice(prefix.length).trim() !== '');
	return lines.length ? lines.at(-1)!.slice(prefix.length).trim() : null;
}

const ranked = (failure: RankFailure) =>
	failure.rank === undefined ? failure.message : `rank ${failure.rank}: ${failure.message}`;

/** The job's failure message, or null when nothing names one (the caller says how the worker exited). */
export function rankFailureReason(failures: RankFailure[], log: string): string | null {
	const own = failures.find((failure) => !failure.peer_lost);
	if (own) return ranked(own);
	const spoke = new Set(failures.map((failure) => failure.rank));
	const silent = torchrunFailures(log).find((exit) => !spoke.has(exit.rank));
	if (silent) {
		const how =
			silent.exitCode < 0 ? `was killed by signal ${-silent.exitCode}` : `exited with code ${silent.exitCode}`;
		const last = lastLogLine(log, silent.rank);
		return `rank ${silent.rank} (pid ${silent.pid}) ${how}${last ? `; its last log line: ${last}` : ', saying nothing'}`;
	}
	if (failures.length > 0)
		return `${ranked(failures[0])} (a rank on another node failed first: its node's job says why)`;
	return null;
}
