/**
 * `evalkit regress` (the regression gate) and `evalkit regress add` (append a
 * real failure to the regression set): argument parsing over lib/regress.
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import { type GateOptions, type GateResult, runGate } from "../regress/gate.ts";
import { addCase } from "../regress/add.ts";
import type { Reporter } from "../reporter.ts";
import { type Command, type CommandContext, requireString, strings } from "./_command.ts";
import {
  announceEndpoint,
  FAMILY_FLAGS,
  familyOptionsFrom,
  RUN_FLAGS,
  runOptionsFrom,
} from "./_run_flags.ts";
import { artifactLine, exactlyOne } from "./_steps.ts";

/** The run flags without `--budget-usd` (the gate has no budget). */
const { "budget-usd": _budget, ...GATE_RUN_FLAGS } = RUN_FLAGS;

/** `evalkit regress`: the regression-set gate. */
export const regress: Command = {
  name: "regress",
  summary: "Regression-set gate: no version may regress on known failures",
  usage:
    "regress --cases F (--model M [--base-url U] | --responses DIR) --judge J [--baseline DIR] --out DIR",
  writes: true,
  flags: {
    cases: { type: "string", value: "F", description: "The regression cases file (JSONL)" },
    model: {
      type: "string",
      value: "M",
      description: "The model under test: its answers to the cases are generated",
    },
    "system-prompt": {
      type: "string",
      value: "F",
      description: "A file whose text is the model's system prompt (with --model)",
    },
    responses: {
      type: "string",
      value: "DIR",
      description:
        "The version's answers instead: a responses artifact or JSONL file (item_id = case id)",
    },
    judge: {
      type: "string",
      value: "J",
      description:
        'The judge model, or "heuristic" (offline; reads expected_behavior by word overlap)',
    },
    "judge-base-url": {
      type: "string",
      value: "URL",
      description:
        "The judge's endpoint (default: $OPENAI_BASE_URL, else api.openai.com; never --base-url, which is the model's)",
    },
    prompt: {
      type: "string",
      value: "F",
      description: "Judge prompt file (default: lib/judge/prompts/rubric-v1.md)",
    },
    baseline: {
      type: "string",
      value: "DIR",
      description:
        "A previous gate artifact: fail only on regressions (passed there, fail now); without it any failing case fails the gate",
    },
    ...GATE_RUN_FLAGS,
    "base-url": {
      ...RUN_FLAGS["base-url"],
      description:
        "The model's OpenAI-compatible endpoint (default: $OPENAI_BASE_URL, else api.openai.com); not the judge's",
    },
    ...FAMILY_FLAGS,
  },
  async run(ctx) {
    const result = await runGate(await gateOptionsFrom(ctx));
    printGate(ctx.reporter, result);
    return { summary: gateSummary(result), exitCode: result.report ? result.exitCode : 1 };
  },
};

/**
 * The gate's options from the flags: the cases, the judge, exactly one of the model and
 * its responses, and the endpoints (announced on stderr).
 *
 * @throws {RangeError} A usage error for a missing or conflicting flag.
 */
async function gateOptionsFrom(ctx: CommandContext): Promise<GateOptions> {
  const cases = requireString(ctx, "cases", regress);
  const judgeModel = requireString(ctx, "judge", regress);
  const model = ctx.values.model as string | undefined;
  const responses = ctx.values.responses as string | undefined;
  exactlyOne(
    [model !== undefined, responses !== undefined],
    "Give exactly one of --model M and --responses DIR",
    regress,
  );
  if (responses !== undefined && ctx.values["base-url"] !== undefined) {
    throw usageError("--base-url is the model's endpoint: it goes with --model, not --responses");
  }
  const run = await runOptionsFrom(ctx);
  const modelClient = run.clientOptions;
  const judgeBaseUrl = ctx.values["judge-base-url"] as string | undefined;
  if (model !== undefined) {
    announceEndpoint(ctx.reporter, "model", "base-url", modelClient.baseURL);
  }
  if (judgeModel !== "heuristic") {
    announceEndpoint(ctx.reporter, "judge", "judge-base-url", judgeBaseUrl);
  }
  return {
    cases,
    responses,
    model,
    systemPrompt: ctx.values["system-prompt"] as string | undefined,
    judge: judgeModel,
    prompt: ctx.values.prompt as string | undefined,
    baseline: ctx.values.baseline as string | undefined,
    out: ctx.values.out as string,
    modelClientOptions: modelClient,
    judgeClientOptions: { ...modelClient, baseURL: judgeBaseUrl },
    temperature: run.temperature,
    seed: run.seed,
    prices: run.prices,
    cacheDir: run.cacheDir,
    noCache: run.noCache,
    ...familyOptionsFrom(ctx),
    reporter: ctx.reporter,
  };
}

/**
 * The gate's lines: the verdict with its regressions (or, without a baseline, every
 * failing case) and the artifact; or, for an unfinished run, what is missing.
 */
function printGate(r: Reporter, result: GateResult): void {
  const g = result.report;
  if (!g) {
    r.info(
      `unfinished: ${result.missing.length} cases without a response or judgment; ` +
        `run the same command again to finish`,
    );
    return;
  }
  r.info(
    `gate      ${g.verdict.toUpperCase()}: ${g.failed} of ${g.cases} cases fail` +
      (g.baseline
        ? `; ${g.regressions.length} regressions against ${g.baseline.artifact} ` +
          `(${g.fixed.length} fixed, ${g.still_failing.length} still failing, ${g.new_failing.length} new failing)`
        : " (no baseline: any failing case fails the gate)"),
  );
  for (const reg of g.regressions) r.info(`  regression ${reg.id}: ${reg.reason}`);
  if (!g.baseline) {
    for (const c of g.results.filter((c) => !c.passed)) r.info(`  failing ${c.id}: ${c.reason}`);
  }
  r.info(artifactLine(result.artifact, result.reused));
}

/** The `regress --json` summary (`complete: false` and what is missing for an unfinished run). */
function gateSummary(result: GateResult): Record<string, unknown> {
  const g = result.report;
  if (!g) {
    return {
      artifact: result.artifact,
      complete: false,
      missing: result.missing,
      requests: result.requests,
    };
  }
  return {
    artifact: result.artifact,
    verdict: g.verdict,
    rule: g.rule,
    cases: g.cases,
    passed: g.passed,
    failed: g.failed,
    regressions: g.regressions,
    fixed: g.fixed,
    still_failing: g.still_failing,
    new_failing: g.new_failing,
    failing: g.results.filter((c) => !c.passed).map((c) => ({ id: c.id, reason: c.reason })),
    judge_model: g.judge.model,
    prompt_sha256: g.judge.prompt_sha256,
    self_judged: g.judge.self_judged,
    baseline: g.baseline?.artifact ?? null,
    requests: result.requests,
    reused: result.reused,
    complete: true,
  };
}

/** `--min-score DIM=N` pairs; the names are checked against the run's rubric by `addCase`. */
function parseMinScores(pairs: readonly string[]): Record<string, number> | undefined {
  if (pairs.length === 0) return undefined;
  const out: Record<string, number> = {};
  for (const pair of pairs) {
    const m = /^([a-z][a-z0-9_]*)=(-?\d+)$/.exec(pair.trim());
    if (!m) {
      throw usageError(
        `Invalid --min-score "${pair}": expected DIMENSION=N, e.g. correctness=3 ` +
          `(a dimension of the run's rubric and an integer on its scale)`,
      );
    }
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/** `evalkit regress add`: append a real failure to the regression set. */
export const regressAdd: Command = {
  name: "regress add",
  summary: "Append a real failure to the regression set",
  usage:
    "regress add --cases F --from-run DIR --item ID --expected TEXT --source ID [--min-score DIM=N]... [--must-include S]... [--must-not-include S]...",
  flags: {
    cases: {
      type: "string",
      value: "F",
      description: "The regression cases file to append to (created when absent)",
    },
    "from-run": {
      type: "string",
      value: "DIR",
      description: "The judgment run (or eval set) holding the failed item",
    },
    item: { type: "string", value: "ID", description: "The failed item's id in that run" },
    expected: {
      type: "string",
      value: "TEXT",
      description: "What a good answer does and avoids, in words for the judge",
    },
    source: { type: "string", value: "ID", description: "The incident or ticket, e.g. INC-123" },
    id: {
      type: "string",
      value: "ID",
      description: "The new case's id (default: the next case-NNN)",
    },
    "min-score": {
      type: "string",
      multiple: true,
      value: "DIM=N",
      description:
        "A minimum score on a dimension of the run's rubric, e.g. correctness=3 (default: correctness=3 when the rubric has it)",
    },
    "must-include": {
      type: "string",
      multiple: true,
      value: "S",
      description: "A phrase the answer must contain (case-insensitive)",
    },
    "must-not-include": {
      type: "string",
      multiple: true,
      value: "S",
      description: "A phrase the answer must not contain (case-insensitive)",
    },
  },
  async run(ctx) {
    const cases = requireString(ctx, "cases", regressAdd);
    const fromRun = requireString(ctx, "from-run", regressAdd);
    const result = await addCase(cases, fromRun, {
      item: requireString(ctx, "item", regressAdd),
      expected: requireString(ctx, "expected", regressAdd),
      source: requireString(ctx, "source", regressAdd),
      id: ctx.values.id as string | undefined,
      minScores: parseMinScores(strings(ctx, "min-score")),
      mustInclude: strings(ctx, "must-include"),
      mustNotInclude: strings(ctx, "must-not-include"),
    });
    const pii = Object.values(result.pii).reduce((a, b) => a + b, 0);
    ctx.reporter.info(
      `added     ${result.case.id} (${result.case.source}, ${result.case.added_on}) to ${result.file}` +
        `${result.created ? " (new file)" : ""}: ${result.cases} cases; ${pii} PII values replaced`,
    );
    for (const w of result.warnings) ctx.reporter.warn(w);
    return {
      summary: {
        case: result.case,
        file: result.file,
        created: result.created,
        cases: result.cases,
        pii: result.pii,
      },
    };
  },
};
