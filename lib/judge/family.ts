/**
 * The self-judging guard (SPEC §1.6): a judge must come from a different model
 * family than the model it judges. The family is read from the model name
 * (`gpt-4o` → openai, `claude-3-5-sonnet` → anthropic, `Qwen/Qwen2.5-7B` →
 * qwen, …) or given explicitly when the name says nothing.
 *
 * @module
 */
import { usageError } from "../_errors.ts";

/** A family and the name pattern that identifies it, tested on the lowercased name. */
export interface FamilyRule {
  family: string;
  pattern: RegExp;
}

/**
 * The name rules, most specific first. A name is matched after removing a
 * provider path (`openai/`, `accounts/x/models/`) and a fine-tune prefix
 * (`ft:`).
 */
export const FAMILY_RULES: readonly FamilyRule[] = [
  {
    family: "openai",
    pattern: /^(gpt|chatgpt|o[1-9](\b|-|$)|text-(davinci|curie)|davinci|babbage)/,
  },
  { family: "openai", pattern: /(^|[-_.])gpt-?(3|4|5|oss)/ },
  { family: "anthropic", pattern: /claude/ },
  { family: "google", pattern: /gemini|gemma|palm|bison|learnlm/ },
  { family: "meta", pattern: /llama|codellama/ },
  { family: "mistral", pattern: /mistral|mixtral|codestral|ministral|pixtral|magistral|devstral/ },
  { family: "qwen", pattern: /qwen|qwq/ },
  { family: "deepseek", pattern: /deepseek/ },
  { family: "microsoft", pattern: /(^|[-_.])phi-?\d/ },
  { family: "cohere", pattern: /^command|(^|[-_.])aya(\b|-)/ },
  { family: "xai", pattern: /grok/ },
  { family: "01ai", pattern: /^yi-/ },
  { family: "ibm", pattern: /granite/ },
  { family: "nvidia", pattern: /nemotron/ },
  { family: "ai2", pattern: /olmo|tulu/ },
  { family: "tii", pattern: /falcon/ },
  { family: "ai21", pattern: /jamba|jurassic/ },
  { family: "zhipu", pattern: /(^|[-_.])(chat)?glm/ },
  { family: "moonshot", pattern: /kimi|moonshot/ },
  { family: "amazon", pattern: /^(amazon\.)?(nova|titan)/ },
];

/**
 * The model family a model name belongs to, or `null` when the name says nothing.
 *
 * @example
 * ```ts
 * import { modelFamily } from "./family.ts";
 * if (modelFamily("gpt-4o-mini") !== "openai") throw new Error("gpt");
 * if (modelFamily("o3-mini") !== "openai") throw new Error("o3");
 * if (modelFamily("meta-llama/Llama-3.1-8B-Instruct") !== "meta") throw new Error("llama");
 * if (modelFamily("my-house-model") !== null) throw new Error("unknown");
 * ```
 */
export function modelFamily(model: string): string | null {
  let name = model.trim().toLowerCase();
  if (name.startsWith("ft:")) name = name.slice(3);
  const segments = name.split("/").filter((s) => s !== "");
  const last = segments[segments.length - 1] ?? name;
  for (const rule of FAMILY_RULES) {
    if (rule.pattern.test(last)) return rule.family;
  }
  return null;
}

/** Options for {@link checkSelfJudging}. */
export interface SelfJudgeOptions {
  /** The judge's family, overriding the name rules. @default from the judge's name */
  judgeFamily?: string;
  /** The judged model's family, overriding the name rules for every judged model. @default from each name */
  modelFamily?: string;
  /** Judge a model of the same family anyway; the run is then flagged `self_judged`. @default false */
  allowSelfJudge?: boolean;
}

/** What the guard found. */
export interface SelfJudgeCheck {
  judge_family: string | null;
  /** The judged models' families (`null` where unknown), in the order of `models`. */
  model_families: (string | null)[];
  /** True when the judge shares a family with a judged model (only possible with `allowSelfJudge`). */
  self_judged: boolean;
  /** Names whose family could not be told: the guard could not check them. */
  unknown: string[];
}

/**
 * Refuse self-judging: a judge of the same family as a judged model.
 *
 * @param judge The judge model's name.
 * @param models The judged models' names.
 * @param options Explicit families and the explicit permission to self-judge.
 * @returns What was found; `self_judged` is true only when allowed.
 * @throws {RangeError} A usage error (the CLI exits 2) when a family matches and self-judging is not allowed.
 *
 * @example
 * ```ts
 * import { checkSelfJudging } from "./family.ts";
 * const ok = checkSelfJudging("claude-sonnet-4", ["gpt-4o-mini"]);
 * if (ok.self_judged) throw new Error("different families");
 * const flagged = checkSelfJudging("gpt-4o", ["gpt-4o-mini"], { allowSelfJudge: true });
 * if (!flagged.self_judged) throw new Error("same family");
 * ```
 */
export function checkSelfJudging(
  judge: string,
  models: readonly string[],
  options: SelfJudgeOptions = {},
): SelfJudgeCheck {
  const judgeFamily = normalizeFamily(options.judgeFamily) ?? modelFamily(judge);
  const families = models.map((m) => normalizeFamily(options.modelFamily) ?? modelFamily(m));
  const unknown: string[] = [];
  if (judgeFamily === null) unknown.push(judge);
  models.forEach((m, i) => families[i] === null && unknown.push(m));
  const same = judgeFamily === null
    ? []
    : models.filter((_, i) => families[i] !== null && families[i] === judgeFamily);
  if (same.length > 0 && !options.allowSelfJudge) {
    throw usageError(
      `Refusing to judge "${same[0]}" with "${judge}": both are ${judgeFamily} models ` +
        `(self-judging). Use a judge from another family, or pass --allow-self-judge ` +
        `(the run is then flagged as self-judged)`,
    );
  }
  return {
    judge_family: judgeFamily,
    model_families: families,
    self_judged: same.length > 0,
    unknown: [...new Set(unknown)],
  };
}

function normalizeFamily(family: string | undefined): string | null {
  const f = family?.trim().toLowerCase();
  return f ? f : null;
}
