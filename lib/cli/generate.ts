import { runGenerate } from "../generate/generate.ts";
import { type Command, requireString } from "./_command.ts";
import { EVALSET_FLAG, numberFlag, RUN_FLAGS, runModelCommand } from "./_run_flags.ts";

/** `evalkit generate`: run the model under test over an eval set. */
export const generate: Command = {
  name: "generate",
  summary: "Run the model under test over an eval set",
  usage: "generate --evalset DIR --model M [--base-url U] [--system-prompt F] --out DIR",
  writes: true,
  flags: {
    evalset: EVALSET_FLAG,
    model: { type: "string", value: "M", description: "The model under test" },
    "system-prompt": {
      type: "string",
      value: "F",
      description: "A file whose text is the system message",
    },
    "max-tokens": { type: "string", value: "N", description: "max_tokens per response" },
    ...RUN_FLAGS,
  },
  run(ctx) {
    const evalset = requireString(ctx, "evalset", generate);
    const model = requireString(ctx, "model", generate);
    const maxTokens = numberFlag(ctx, "max-tokens", { integer: true, positive: true });
    return runModelCommand(ctx, {
      side: "model",
      run: (options) =>
        runGenerate(evalset, {
          ...options,
          model,
          systemPrompt: ctx.values["system-prompt"] as string | undefined,
          maxTokens,
          reporter: ctx.reporter,
        }),
      headline: ({ stats: s }) =>
        `generate  ${s.items} items with ${model}: ${s.ok} responses, ${s.failed} refused`,
      noun: "responses",
      done: "generated",
      madeNow: (r) => r.stats.generated,
      missingWhat: "without a response",
      summary: (r) => ({ generated: r.stats.generated, model }),
    });
  },
};
