// The ports browsers refuse to fetch from (the Fetch standard's "bad port" list, which Chromium reports as
// ERR_UNSAFE_PORT), so a trainer URL on one gets the real reason instead of a misleading CORS hint.

/** https://fetch.spec.whatwg.org/#bad-port */
const BAD_PORTS = new Set([
	0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
	111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
	540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
	6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080
]);

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** Why the browser will not connect to `url` at all (a blocked port), or null. */
export function blockedPortProblem(url: string): string | null {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return null;
	}
	const port = parsed.port ? Number(parsed.port) : DEFAULT_PORTS[parsed.protocol];
	if (port === undefined || !BAD_PORTS.has(port)) return null;
	return `the browser refuses to connect to port ${port} (it is on the Fetch standard's list of unsafe ports, ERR_UNSAFE_PORT): start the trainer on another port, e.g. 8787`;
}
