import { runGenerate } from "../generate/generate.ts";
import { type Command, requireString } from "./_command.ts";
import {
  announceEndpoint,
  numberFlag,
  reportRunEnd,
  reportRunStats,
  RUN_FLAGS,
  runOptionsFrom,
  runSummary,
} from "./_run_flags.ts";

/** `evalkit generate`: run the model under test over an eval set. */
export const generate: Command = {
  name: "generate",
  summary: "Run the model under test over an eval set",
  usage: "generate --evalset DIR --model M [--base-url U] [--system-prompt F] --out DIR",
  writes: true,
  flags: {
    evalset: {
      type: "string",
      value: "DIR",
      description: "An eval-set artifact (or an eval-set JSONL file)",
    },
    model: { type: "string", value: "M", description: "The model under test" },
    "system-prompt": {
      type: "string",
      value: "F",
      description: "A file whose text is the system message",
    },
    "max-tokens": { type: "string", value: "N", description: "max_tokens per response" },
    ...RUN_FLAGS,
  },
  async run(ctx) {
    const evalset = requireString(ctx, "evalset", generate);
    const model = requireString(ctx, "model", generate);
    const run = await runOptionsFrom(ctx);
    announceEndpoint(ctx.reporter, "model", "base-url", run.clientOptions.baseURL);
    const result = await runGenerate(evalset, {
      ...run,
      model,
      systemPrompt: ctx.values["system-prompt"] as string | undefined,
      maxTokens: numberFlag(ctx, "max-tokens", { integer: true, positive: true }),
      reporter: ctx.reporter,
    });
    const s = result.stats;
    const r = ctx.reporter;
    if (!result.reused) {
      r.info(`generate  ${s.items} items with ${model}: ${s.ok} responses, ${s.failed} refused`);
      reportRunStats(r, s, { noun: "responses", done: "generated", now: s.generated });
    }
    reportRunEnd(r, result, "without a response");
    return {
      summary: {
        artifact: result.artifact,
        complete: result.complete,
        ...runSummary(s),
        generated: s.generated,
        model,
        reused: result.reused,
        partial: result.partial,
      },
      exitCode: result.complete ? 0 : 1,
    };
  },
};
