// Finishes a trained job: writes the PEFT-layout expert package (manifest, adapter_config, weights,
// metadata with metrics and device) into the job folder, bundles it as artifact.tar for download, and
// installs a copy into the data dir's packages/ so later jobs can depend on it.
import { cpSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { create as createTar } from 'tar';
import { PACKAGE_FILES } from '../lib/experts/package.ts';
import { writeExpertPackage } from '../lib/experts/package-fs.ts';
import { parseSafetensors, tensorToFloat32, type TensorToWrite } from '../lib/experts/safetensors.ts';
import type { DataDirLayout } from './data-dir.ts';
import type { PackagePlan } from './job-preparation.ts';

export function artifactPath(jobDir: string): string {
	return path.join(jobDir, 'artifact.tar');
}

/** Builds package/ and artifact.tar in the job folder from the worker's output; returns the package folder name. */
export async function buildArtifact(
	jobDir: string,
	layout: DataDirLayout,
	metrics: Record<string, unknown>
): Promise<string> {
	const plan = JSON.parse(readFileSync(path.join(jobDir, 'plan.json'), 'utf8')) as PackagePlan;
	const weightsPath = path.join(jobDir, 'output', 'adapter_model.safetensors');
	const weights = parseSafetensors(new Uint8Array(readFileSync(weightsPath)), weightsPath);
	const tensors: Record<string, TensorToWrite> = {};
	for (const [name, view] of weights.tensors)
		tensors[name] = { dtype: 'F32', shape: view.shape, data: tensorToFloat32(view) };
	const packageDir = path.join(jobDir, 'package');
	await writeExpertPackage(packageDir, {
		manifest: plan.manifest,
		adapterConfig: plan.adapterConfig,
		tensors,
		metadata: { ...plan.metadata, metrics, device: metrics.device, trained_at: new Date().toISOString() }
	});
	const tarTemp = `${artifactPath(jobDir)}.tmp`;
	await createTar({ cwd: packageDir, file: tarTemp, portable: true }, Object.values(PACKAGE_FILES));
	renameSync(tarTemp, artifactPath(jobDir));
	const installed = path.join(layout.packages, plan.folder);
	const installTemp = `${installed}.tmp-${path.basename(jobDir)}`;
	cpSync(packageDir, installTemp, { recursive: true });
	rmSync(installed, { recursive: true, force: true });
	renameSync(installTemp, installed);
	return plan.folder;
}
