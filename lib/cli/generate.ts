import { runGenerate } from "../generate.ts";
import { type Command, requireString } from "./_command.ts";
import {
  clientOptionsFrom,
  numberFlag,
  pricesFrom,
  RUN_FLAGS,
  seedFlag,
  usd,
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
    const result = await runGenerate(evalset, {
      model,
      systemPrompt: ctx.values["system-prompt"] as string | undefined,
      maxTokens: numberFlag(ctx, "max-tokens", { integer: true, positive: true }),
      out: ctx.values.out as string,
      clientOptions: clientOptionsFrom(ctx),
      temperature: numberFlag(ctx, "temperature", { min: 0 }) ?? 0,
      seed: seedFlag(ctx),
      prices: await pricesFrom(ctx),
      budgetUsd: numberFlag(ctx, "budget-usd", { min: 0 }),
      cacheDir: ctx.values.cache as string | undefined,
      noCache: ctx.values["no-cache"] === true,
      reporter: ctx.reporter,
    });
    const s = result.stats;
    const r = ctx.reporter;
    if (!result.reused) {
      r.info(
        `generate  ${s.items} items with ${model}: ${s.ok} responses, ${s.failed} refused; ` +
          `${s.cached} cached, ${s.resumed} resumed, ${s.generated} generated now`,
      );
      r.info(`requests  ${s.requests} (${s.retries} retries, ${s.rate_limited} rate-limited)`);
      r.info(`cost      ${usd(s.cost_usd)} this run; ${usd(s.cost_usd_total)} for all responses`);
    }
    if (result.complete) {
      r.info(`artifact  ${result.artifact}${result.reused ? " (identical, kept)" : ""}`);
    } else if (result.budget_refused) {
      r.info(`not started: estimated ${usd(s.estimate_usd)} exceeds --budget-usd ${s.budget_usd}`);
    } else {
      r.info(
        `unfinished: ${s.missing} of ${s.items} items without a response${
          result.partial ? `; journal ${result.partial}` : ""
        }; run the same command again to finish`,
      );
    }
    return {
      summary: {
        artifact: result.artifact,
        complete: result.complete,
        items: s.items,
        ok: s.ok,
        failed: s.failed,
        missing: s.missing,
        requests: s.requests,
        retries: s.retries,
        rate_limited: s.rate_limited,
        cached: s.cached,
        resumed: s.resumed,
        generated: s.generated,
        cost_usd: s.cost_usd,
        cost_usd_total: s.cost_usd_total,
        estimate_usd: s.estimate_usd,
        budget_usd: s.budget_usd,
        budget_stopped: s.budget_stopped,
        model,
        reused: result.reused,
        partial: result.partial,
      },
      exitCode: result.complete ? 0 : 1,
    };
  },
};
