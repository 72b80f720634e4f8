// The installed-experts list fetched from the worker, with the one-line error when the cache is unusable.
import type { InstalledExpert } from '../worker/api.ts';
import { describeError } from '../errors.ts';
import { appWorker } from '../worker/client.ts';

export async function fetchInstalledExperts(): Promise<{ experts: InstalledExpert[]; error: string | null }> {
	try {
		return { experts: await appWorker().listExperts(), error: null };
	} catch (error) {
		return { experts: [], error: describeError(error) };
	}
}
