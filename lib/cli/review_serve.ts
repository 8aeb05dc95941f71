/**
 * `evalkit review serve`: the local rating page for one human rater. It runs
 * until Ctrl+C (SIGINT) or SIGTERM, then prints its summary; every rating is on
 * disk the moment the page says "Saved".
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import { serveReview } from "../review/serve.ts";
import { type Command, type CommandContext, positiveInt, requireString } from "./_command.ts";

function seedValue(raw: string): string | number {
  return /^-?\d{1,15}$/.test(raw.trim()) ? Number(raw) : raw;
}

function portValue(ctx: CommandContext): number {
  const raw = String(ctx.values.port ?? "0").trim();
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw usageError(
      `Invalid --port "${raw}": expected an integer from 0 to 65535 (0: any free port)`,
    );
  }
  return Number(raw);
}

/** Resolves on the first SIGINT or SIGTERM. */
function stopSignal(): { stopped: Promise<string>; dispose(): void } {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  let resolve!: (s: string) => void;
  const stopped = new Promise<string>((r) => (resolve = r));
  const handlers = signals.map((s) => [s, () => resolve(s)] as const);
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  return {
    stopped,
    dispose: () => {
      for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
    },
  };
}

/** `evalkit review serve`. */
export const reviewServe: Command = {
  name: "review serve",
  summary: "A local rating page for one human rater",
  usage: "review serve --run DIR --rater NAME [--n 50] [--seed S] [--port P] [--host H] " +
    "[--ratings F]",
  writes: true,
  flags: {
    run: { type: "string", value: "DIR", description: "A judge-run artifact (runs/judge-<id>)" },
    rater: {
      type: "string",
      value: "NAME",
      description: "Who rates (letters, digits, _ - .): fixed for the session, names the file",
    },
    n: {
      type: "string",
      value: "N",
      description: "Items to rate: the same selection and per-rater order as review export",
      default: "50",
    },
    seed: {
      type: "string",
      value: "S",
      description: "Seed of the selection and order (as review export --seed)",
      default: "0",
    },
    port: {
      type: "string",
      value: "P",
      description: "Port to listen on (0: any free port)",
      default: "0",
    },
    host: {
      type: "string",
      value: "H",
      description: "Address to listen on; anything but loopback exposes the page to the network",
      default: "127.0.0.1",
    },
    ratings: {
      type: "string",
      value: "F",
      description: "The append-only ratings file (.jsonl; default: " +
        "<out>/review-page/judge-<id>/ratings_<rater>.jsonl)",
    },
    prompt: {
      type: "string",
      value: "F",
      description:
        "Judge prompt whose rubric anchors the page shows (default: the rubric the run records, else bundled rubric-v1)",
    },
  },
  async run(ctx) {
    const run = requireString(ctx, "run", reviewServe);
    const rater = requireString(ctx, "rater", reviewServe);
    const n = positiveInt(ctx, "n", reviewServe);
    const port = portValue(ctx);
    const signal = stopSignal();
    try {
      const server = await serveReview(run, {
        rater,
        n,
        seed: seedValue(ctx.values.seed as string),
        hostname: requireString(ctx, "host", reviewServe),
        port,
        ratings: ctx.values.ratings as string | undefined,
        prompt: ctx.values.prompt as string | undefined,
        out: ctx.values.out as string,
        reporter: ctx.reporter,
      });
      const s = server.session;
      ctx.reporter.info(
        `review    ${s.items.length} items for ${rater}, ${s.rated()} rated already; ` +
          `ratings go to ${s.ratingsFile}`,
      );
      ctx.reporter.info(`open      ${server.url}`);
      ctx.reporter.info(
        "          Ctrl+C stops the server (every rating is saved the moment the page says so)",
      );
      await Promise.race([signal.stopped, server.finished]);
      const summary = await server.shutdown();
      ctx.reporter.info(
        `stopped   ${summary.rated} of ${summary.items} rated (${summary.saved} saved this session)`,
      );
      const next = `agreement --run ${run} --ratings ${summary.ratings_file}`;
      ctx.reporter.info(`next      deno task evalkit ${next}`);
      return { summary: { ...summary, next } };
    } finally {
      signal.dispose();
    }
  },
};
