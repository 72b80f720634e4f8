// Which rank a multi-process job failed by: its own `failed` event over the ranks that only lost it, else the rank
// torchrun lists as failed without a word, with its last `[rank N]` log line. The torchrun summary below is the one
// Debian's torch 1.13 printed here when rank 1 of 2 was killed with -9 mid all-reduce (rank 0 then lost it).
import { describe, expect, it } from 'vitest';
import { rankFailureReason } from '../../src/trainer/rank-failure.ts';

const TORCHRUN_SUMMARY = `[rank 1] rank 1 of 2 (node 0, pid 24072): training from step 0
[rank 0] rank 0 of 2 (node 0, pid 24071): training from step 0
torch.distributed.elastic.multiprocessing.errors.ChildFailedError:
============================================================
train.py FAILED
------------------------------------------------------------
Failures:
[1]:
  time      : 2026-12-07_07:29:34
  host      : localhost
  rank      : 1 (local_rank: 1)
  exitcode  : -9 (pid: 24072)
  error_file: <N/A>
  traceback : Signal 9 (SIGKILL) received by PID 24072
------------------------------------------------------------
Root Cause (first observed failure):
[0]:
  time      : 2026-12-07_07:29:34
  host      : localhost
  rank      : 0 (local_rank: 0)
  exitcode  : 1 (pid: 24071)
  error_file: <N/A>
  traceback : To enable traceback see: https://pytorch.org/docs/stable/elastic/errors.html
============================================================
`;

const lost = {
	rank: 0,
	message: 'lost another rank during the gradient sum: Connection closed by peer',
	peer_lost: true
};

describe('rankFailureReason', () => {
	it('names the rank that died silently, not the one torchrun calls the root cause because it lost it', () => {
		expect(rankFailureReason([lost], TORCHRUN_SUMMARY)).toBe(
			'rank 1 (pid 24072) was killed by signal 9; its last log line: rank 1 of 2 (node 0, pid 24072): training from step 0'
		);
	});

	it("prefers a rank's own failure over the ranks that lost it", () => {
		const own = { rank: 1, message: 'internal worker error: RuntimeError: boom' };
		expect(rankFailureReason([lost, own], TORCHRUN_SUMMARY)).toBe('rank 1: internal worker error: RuntimeError: boom');
	});

	it("keeps a lone worker's message as it is", () => {
		expect(rankFailureReason([{ message: 'dataset: no records' }], '')).toBe('dataset: no records');
	});

	it('points at the other node when every rank here only lost one there', () => {
		expect(rankFailureReason([lost], '')).toBe(
			`rank 0: ${lost.message} (a rank on another node failed first: its node's job says why)`
		);
	});

	it('says a silent exit code, and that nothing was logged', () => {
		const log = TORCHRUN_SUMMARY.replace('-9 (pid: 24072)', '3 (pid: 24072)').replace(/^\[rank 1\].*\n/, '');
		expect(rankFailureReason([lost], log)).toBe('rank 1 (pid 24072) exited with code 3, saying nothing');
	});

	it('has nothing to say when nobody failed in words or in the summary', () => {
		expect(rankFailureReason([], 'a log without a summary')).toBeNull();
	});
});
