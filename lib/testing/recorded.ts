/**
 * Test helper: the release → judge-run folders a demo release registry records, as paths
 * from the working directory (the manifest records them relative to the registry).
 *
 * @module
 */
import { type Manifest, resolveRecorded } from "../artifacts.ts";

/** The registry's `meta.runs`, each resolved from the registry's folder. */
export function recordedRuns(registryDir: string, manifest: Manifest): Record<string, string> {
  const runs = (manifest.meta.runs ?? {}) as Record<string, string>;
  return Object.fromEntries(
    Object.entries(runs).map(([release, path]) => [release, resolveRecorded(registryDir, path)]),
  );
}
