// Every pattern of Linguist's heuristics, as converted for JavaScript (pcre-to-js.ts), also compiles in
// Chromium's regular-expression engine (Debian's chromium through playwright-core), and matches there as in Node.
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { nodeLinguistHeuristics } from '../../src/lib/classify/linguist-heuristics-fs.ts';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumMissing } from '../../src/lib/bench/runtime-browser.ts';

if (chromiumMissing) console.warn(`skipping heuristics-in-Chromium test: ${chromiumMissing}`);

describe.skipIf(chromiumMissing !== null)("Linguist's heuristics in Chromium", () => {
	it('compiles every converted pattern, with the same answers as Node on a probe text', async () => {
		const patterns = nodeLinguistHeuristics().patterns.map(({ ruby, javascript }) => ({
			ruby,
			source: javascript.source,
			flags: javascript.flags
		}));
		const probe = '#include <stdio.h>\n@interface Foo : NSObject\nuse strict;\nmodule Main where\n';
		const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
		try {
			const page = await browser.newPage();
			const results = await page.evaluate(
				({ patterns, probe }) =>
					patterns.map(({ ruby, source, flags }) => {
						try {
							return { ruby, matches: new RegExp(source, flags).test(probe), error: null };
						} catch (error) {
							return { ruby, matches: false, error: String(error) };
						}
					}),
				{ patterns, probe }
			);
			expect(results.filter((r) => r.error !== null)).toEqual([]);
			expect(results.map((r) => r.matches)).toEqual(patterns.map((p) => new RegExp(p.source, p.flags).test(probe)));
			expect(results.length).toBeGreaterThan(300);
		} finally {
			await browser.close();
		}
	});
});
