import { usageError } from "../_errors.ts";
import { HEURISTIC_JUDGE, readLengthBands } from "../judge/heuristic.ts";
import { runJudge } from "../judge/run.ts";
import type { StructuredMode } from "../llm/client.ts";
import { type Command, type CommandContext, requireString } from "./_command.ts";
import {
  EVALSET_FLAG,
  FAMILY_FLAGS,
  familyOptionsFrom,
  numberFlag,
  RUN_FLAGS,
  runModelCommand,
} from "./_run_flags.ts";

/** `evalkit judge`: judge every item on the five dimensions. */
export const judge: Command = {
  name: "judge",
  summary:
    "Judge every item on each dimension of the rubric (the kit's five by default; --judge heuristic is the offline judge)",
  usage:
    "judge --evalset DIR [--responses DIR] --judge M [--prompt F] [--base-url U] [--concurrency C] [--budget-usd X] [--batch] --out DIR",
  writes: true,
  flags: {
    evalset: EVALSET_FLAG,
    responses: {
      type: "string",
      value: "DIR",
      description:
        "A generate artifact (or a responses JSONL file); default: the production responses the eval set keeps",
    },
    judge: {
      type: "string",
      value: "M",
      description:
        'The judge model, or "heuristic" (offline text-feature baseline, not an LLM judgment)',
    },
    prompt: {
      type: "string",
      value: "F",
      description: "Judge prompt file (default: lib/judge/prompts/rubric-v1.md)",
    },
    structured: {
      type: "string",
      value: "MODE",
      description: "auto (json_schema until the endpoint refuses it), json_schema, or text",
      default: "auto",
    },
    ...RUN_FLAGS,
    batch: {
      type: "boolean",
      description: "Use the OpenAI Batch API (half price; resumes a pending batch)",
    },
    "batch-id": { type: "string", value: "ID", description: "Resume this batch (implies --batch)" },
    "batch-poll": {
      type: "string",
      value: "S",
      description: "Seconds between batch polls",
      default: "30",
    },
    "batch-wait": {
      type: "string",
      value: "S",
      description: "Stop waiting for a batch after S seconds (rerun to resume it)",
      default: "86400",
    },
    ...FAMILY_FLAGS,
    "length-bands": {
      type: "string",
      value: "FILE",
      description: 'Heuristic judge: ideal words per stratum, JSON {"stratum": [lo, hi]}',
    },
  },
  async run(ctx) {
    const evalset = requireString(ctx, "evalset", judge);
    const judgeModel = requireString(ctx, "judge", judge);
    const structured = ctx.values.structured as string;
    if (!["auto", "json_schema", "text"].includes(structured)) {
      throw usageError(`Invalid --structured "${structured}": expected auto, json_schema or text`);
    }
    const heuristic = judgeModel === HEURISTIC_JUDGE;
    checkJudgeFlags(ctx, heuristic);
    const bands = ctx.values["length-bands"]
      ? { lengthBands: await readLengthBands(ctx.values["length-bands"] as string) }
      : undefined;
    return runModelCommand(ctx, {
      side: heuristic ? null : "judge",
      run: async (options) => {
        const result = await runJudge(evalset, {
          ...options,
          ...familyOptionsFrom(ctx),
          judge: judgeModel,
          responses: ctx.values.responses as string | undefined,
          prompt: ctx.values.prompt as string | undefined,
          clientOptions: { ...options.clientOptions, structured: structured as StructuredMode },
          batch: batchFrom(ctx),
          heuristic: bands,
          reporter: ctx.reporter,
        });
        if (result.self_judged) {
          ctx.reporter.warn("self-judged run: the judge shares a model family with a judged model");
        }
        return result;
      },
      headline: ({ stats: s }) =>
        `judge     ${s.items} items with ${judgeModel}: ${s.ok} ok, ${s.failed} failed, ` +
        `${s.flagged} flagged possible_injection`,
      noun: "judgments",
      done: "judged",
      madeNow: (r) => r.stats.judged,
      missingWhat: "not judged",
      summary: (r) => ({
        flagged: r.stats.flagged,
        judged: r.stats.judged,
        judge_model: judgeModel,
        prompt_sha256: r.prompt_sha256,
        self_judged: r.self_judged,
        batch_id: r.stats.batch_id,
      }),
    });
  },
};

/** Flags that do not go with the chosen judge. @throws {RangeError} A usage error. */
function checkJudgeFlags(ctx: CommandContext, heuristic: boolean): void {
  if (heuristic && (ctx.values.batch || ctx.values["batch-id"])) {
    throw usageError("--batch needs an LLM judge, not the heuristic judge");
  }
  if (!heuristic && ctx.values["length-bands"]) {
    throw usageError("--length-bands is for --judge heuristic only");
  }
}

/** The batch options the flags ask for, or undefined. */
function batchFrom(ctx: CommandContext) {
  const batchId = ctx.values["batch-id"] as string | undefined;
  if (!ctx.values.batch && !batchId) return undefined;
  return {
    batchId,
    pollIntervalMs: (numberFlag(ctx, "batch-poll", { positive: true }) ?? 30) * 1000,
    maxWaitMs: (numberFlag(ctx, "batch-wait", { positive: true }) ?? 86400) * 1000,
  };
}
