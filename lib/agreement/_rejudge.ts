/**
 * The steps of {@link rejudgeRun}: what re-judging needs of a judge run's manifest, the
 * same prompt, the items and responses to judge again, and the judge's options as the
 * run had them.
 *
 * @module
 */
import { z } from "zod";
import { usageError } from "../_errors.ts";
import { parseArtifactJson } from "../artifacts.ts";
import { JudgeMeta } from "../artifact_kinds.ts";
import { HEURISTIC_JUDGE } from "../judge/heuristic.ts";
import type { JudgeOptions, ResponseToJudge } from "../judge/judge.ts";
import { type JudgeItem, type JudgePrompt, loadPrompt } from "../judge/prompt.ts";
import { type JudgeRun, toJudgeItem } from "../judge/run.ts";
import { locateInput, type RunItem } from "../review/source.ts";
import type { Judgment } from "../schemas.ts";
import type { RejudgeOptions } from "./rejudge.ts";

/** What re-judging needs of a judge run's meta: the judge, its prompt (or bands), its settings. */
export const RunMeta = JudgeMeta.extend({
  judge_model: z.string(),
  prompt_sha256: z.string(),
  model_family: z.record(z.string(), z.string().nullable()).optional(),
  /** For the heuristic judge, `bands` holds its options. */
  prompt: z.looseObject({
    name: z.string().nullable().optional(),
    path: z.string().nullable().optional(),
    bands: z.looseObject({
      lengthBands: z.record(z.string(), z.tuple([z.number(), z.number()])).optional(),
      defaultBand: z.tuple([z.number(), z.number()]).optional(),
    }).optional(),
  }).optional(),
  temperature: z.number().optional(),
  seed: z.number().nullable().optional(),
});
/** A judge run's meta as re-judging reads it. */
export type RunMeta = z.infer<typeof RunMeta>;

/**
 * A judge run's meta as re-judging needs it.
 *
 * @throws {TypeError} Naming the run's manifest and the field, when the judge or prompt is missing.
 */
export function rejudgeMetaOf(run: JudgeRun): RunMeta {
  return parseArtifactJson(
    `${run.dir}/manifest.json`,
    JSON.stringify({ meta: run.manifest.meta }),
    z.object({ meta: RunMeta }),
  ).meta;
}

/**
 * The run's prompt, unchanged: the file it names (found as the run recorded it), else
 * the bundled prompt when it is the same version.
 *
 * @throws {RangeError} A usage error when neither is the run's prompt version.
 */
export async function samePrompt(runDir: string, meta: RunMeta): Promise<JudgePrompt> {
  const sha = meta.prompt_sha256;
  const path = meta.prompt?.path;
  if (path) {
    try {
      return await loadPrompt(await locateInput(runDir, path, sha));
    } catch {
      // Fall through: the bundled prompt, when it is the same version.
    }
  }
  const bundled = await loadPrompt();
  if (bundled.sha256 === sha) return bundled;
  throw usageError(
    `Cannot re-judge "${runDir}": its prompt "${path ?? meta.prompt?.name}" (sha256 ${
      sha.slice(0, 12)
    }…) is not found unchanged; re-judging needs the same prompt version`,
  );
}

/**
 * The items and responses to judge again: those of the judgments given that the run's
 * eval set holds with a response, in judgment order.
 */
export function itemsToRejudge(
  judged: readonly Judgment[],
  items: ReadonlyMap<string, RunItem>,
): { items: JudgeItem[]; responses: ResponseToJudge[] } {
  const again: JudgeItem[] = [];
  const responses: ResponseToJudge[] = [];
  for (const j of judged) {
    const entry = items.get(String(j.item_id));
    if (!entry || entry.response === null) continue;
    again.push(toJudgeItem(entry.item));
    responses.push({
      item_id: String(entry.item.id),
      response: entry.response,
      model: entry.model,
    });
  }
  return { items: again, responses };
}

/**
 * The judge as the run had it (model, prompt or heuristic bands, temperature, seed,
 * self-judging and families), with this call's client, prices and budget. No cache: the
 * point is to ask the judge again.
 */
export function sameJudge(
  meta: RunMeta,
  prompt: JudgePrompt | undefined,
  options: RejudgeOptions,
): JudgeOptions {
  const heuristic = meta.judge_model === HEURISTIC_JUDGE;
  const families = [...new Set(Object.values(meta.model_family ?? {}))];
  return {
    judge: meta.judge_model,
    prompt,
    client: options.client,
    clientOptions: options.clientOptions,
    temperature: meta.temperature ?? 0,
    seed: meta.seed === undefined ? 0 : meta.seed,
    prices: options.prices,
    budgetUsd: options.budgetUsd,
    reporter: options.reporter,
    heuristic: heuristic ? meta.prompt?.bands ?? {} : undefined,
    allowSelfJudge: meta.self_judged === true,
    judgeFamily: meta.judge_family && meta.judge_family !== HEURISTIC_JUDGE
      ? meta.judge_family
      : undefined,
    modelFamily: families.length === 1 && families[0] ? families[0] : undefined,
  };
}
