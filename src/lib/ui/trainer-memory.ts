// What the Train page remembers between visits: the trainer URL (localStorage), the token (sessionStorage
// only, so it dies with the tab), and per trainer which jobs this browser submitted and installed.

const URL_KEY = 'expert.trainer.url';
const TOKEN_KEY = 'expert.trainer.token';
const JOBS_KEY = 'expert.trainer.jobs';
export const DEFAULT_TRAINER_URL = 'http://127.0.0.1:8787';

interface RememberedJobs {
	/** Trainer URL → job ids submitted from this browser, oldest first. */
	submitted: Record<string, string[]>;
	/** Trainer URL → job id → the expert key it was installed as. */
	installed: Record<string, Record<string, string>>;
}

function readJobs(): RememberedJobs {
	try {
		const saved = JSON.parse(localStorage.getItem(JOBS_KEY) ?? '{}') as Partial<RememberedJobs>;
		return { submitted: saved.submitted ?? {}, installed: saved.installed ?? {} };
	} catch {
		return { submitted: {}, installed: {} };
	}
}

const writeJobs = (jobs: RememberedJobs) => localStorage.setItem(JOBS_KEY, JSON.stringify(jobs));

/** The last trainer this browser connected to (`saved` false: none yet, the default URL). */
export function loadConnection(): { url: string; token: string; saved: boolean } {
	const url = localStorage.getItem(URL_KEY);
	return { url: url ?? DEFAULT_TRAINER_URL, token: sessionStorage.getItem(TOKEN_KEY) ?? '', saved: url !== null };
}

export function saveConnection(url: string, token: string): void {
	localStorage.setItem(URL_KEY, url);
	if (token) sessionStorage.setItem(TOKEN_KEY, token);
	else sessionStorage.removeItem(TOKEN_KEY);
}

export function submittedJobs(trainer: string): string[] {
	return readJobs().submitted[trainer] ?? [];
}

export function rememberSubmitted(trainer: string, jobId: string): void {
	const jobs = readJobs();
	jobs.submitted[trainer] = [...(jobs.submitted[trainer] ?? []).filter((id) => id !== jobId), jobId];
	writeJobs(jobs);
}

export function installedJobs(trainer: string): Record<string, string> {
	return readJobs().installed[trainer] ?? {};
}

export function rememberInstalled(trainer: string, jobId: string, expertKey: string): void {
	const jobs = readJobs();
	jobs.installed[trainer] = { ...(jobs.installed[trainer] ?? {}), [jobId]: expertKey };
	writeJobs(jobs);
}
