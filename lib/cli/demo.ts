import { runDemo } from "../demo.ts";
import type { Command } from "./_command.ts";

/** `evalkit demo`: the whole pipeline on the bundled demo world, offline. */
export const demo: Command = {
  name: "demo",
  summary: "Whole pipeline on the bundled demo world, offline",
  usage: "demo [--data DIR] [--out DIR]",
  writes: true,
  flags: {
    data: {
      type: "string",
      value: "DIR",
      description: "The demo world's folder (default: the bundled data/demo)",
    },
  },
  async run(ctx) {
    const result = await runDemo({
      dataDir: ctx.values.data as string | undefined,
      out: ctx.values.out as string,
      reporter: ctx.reporter,
    });
    return {
      summary: {
        artifact: result.artifacts[result.artifacts.length - 1],
        artifacts: result.artifacts,
        report: result.report,
        world: result.world,
      },
    };
  },
};
