// The output format the active experts declare in their manifests (their package folder read from disk), else
// text: what `expert generate` constrains decoding to when no --format or --json-schema says otherwise. Node only.
import type { OutputFormat } from '../experts/manifest.ts';
import { readPackageManifests } from '../experts/package-fs.ts';
import { declaredOutputFormat } from './output-constraint.ts';

/** `expertIds`: the active experts as name@version:weight. */
export async function declaredOutputFormatFs(expertsDir: string, expertIds: string[]): Promise<OutputFormat> {
	const active = new Set(expertIds.map((id) => id.slice(0, id.lastIndexOf(':'))));
	const { packages } = await readPackageManifests(expertsDir).catch(() => ({ packages: [] }));
	return declaredOutputFormat(
		packages
			.filter(({ manifest }) => active.has(`${manifest.name}@${manifest.version}`))
			.map(({ manifest }) => ({ name: manifest.name, format: manifest.output?.format }))
	);
}
