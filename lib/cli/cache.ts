/**
 * `evalkit cache info` and `evalkit cache clear`: the user-level cache of
 * judgments and responses ($EVALKIT_CACHE_DIR, else $XDG_CACHE_HOME/evalkit,
 * else ~/.cache/evalkit), shared by every --out, notebook and command.
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import { cacheInfo, clearCache, parseDuration, userCacheDir } from "../llm/cache.ts";
import type { Command, CommandContext, Flag } from "./_command.ts";

const CACHE_FLAG: Record<string, Flag> = {
  cache: {
    type: "string",
    value: "DIR",
    description:
      "The cache folder (default: $EVALKIT_CACHE_DIR, else $XDG_CACHE_HOME/evalkit, else ~/.cache/evalkit)",
  },
};

function cacheDir(ctx: CommandContext): string {
  return (ctx.values.cache as string | undefined) ?? userCacheDir();
}

function size(bytes: number): string {
  return bytes < 1024 * 1024
    ? `${(bytes / 1024).toFixed(1)} KiB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** `evalkit cache info`: where the cache is and what it holds. */
export const cacheInfoCommand: Command = {
  name: "cache info",
  summary: "Where the user-level cache is and what it holds (entries per kind, size, age)",
  usage: "cache info [--cache DIR]",
  flags: CACHE_FLAG,
  async run(ctx) {
    const info = await cacheInfo(cacheDir(ctx));
    ctx.reporter.info(`cache     ${info.dir}: ${info.entries} entries, ${size(info.bytes)}`);
    for (const [kind, k] of Object.entries(info.kinds)) {
      ctx.reporter.info(`  ${kind.padEnd(9)} ${k.entries} entries, ${size(k.bytes)}`);
    }
    if (info.oldest) ctx.reporter.info(`written   ${info.oldest} … ${info.newest}`);
    return { summary: { ...info } };
  },
};

/** `evalkit cache clear`: remove cached entries (all, or older than D). */
export const cacheClearCommand: Command = {
  name: "cache clear",
  summary: "Remove cached judgments and responses (all, or those older than D)",
  usage: "cache clear [--older-than D] [--cache DIR]",
  flags: {
    ...CACHE_FLAG,
    "older-than": {
      type: "string",
      value: "D",
      description: "Only entries last written more than D ago, e.g. 30d, 12h, 90m",
    },
  },
  async run(ctx) {
    const dir = cacheDir(ctx);
    const raw = ctx.values["older-than"] as string | undefined;
    let olderThanMs: number | undefined;
    try {
      olderThanMs = raw === undefined ? undefined : parseDuration(raw);
    } catch (e) {
      throw usageError((e as Error).message.replace("duration", "--older-than"));
    }
    const result = await clearCache(dir, { olderThanMs });
    ctx.reporter.info(
      `cache     ${dir}: ${result.removed} entries removed, ${result.kept} kept`,
    );
    return { summary: { dir, ...result, older_than: raw ?? null } };
  },
};
