import { usageError } from "../_errors.ts";
import {
  readMix,
  recordText,
  sampleLogs,
  type SampleOptions,
  type SampleResult,
  type SampleSummary,
  windowBound,
  writeEvalset,
} from "../sample/sample.ts";
import type { ArtifactResult } from "../artifacts.ts";
import { type Dialect, DIALECTS, sampleSql } from "../sample/sql.ts";
import { readRecords } from "../io/read.ts";
import { LOG_FORMATS } from "../io/formats/mod.ts";
import { canonicalLogs } from "../sample/exported.ts";
import { parseOversample } from "../sample/oversample.ts";
import { RegressionCase } from "../schemas.ts";
import {
  type Command,
  type CommandContext,
  logFormatFlag,
  parseMap,
  positiveInt,
  requireString,
  strings,
} from "./_command.ts";

/** `evalkit sample`: prod logs into a versioned, anonymised, stratified eval set. */
export const sample: Command = {
  name: "sample",
  summary: "Stratified random sample of prod logs, anonymized and deduplicated, into an eval set",
  usage:
    "sample --logs F... --n N --seed S [--strata COL] [--mix FILE] [--since D --until D] [--exclude F...] [--oversample FEEDBACK=SHARE...] [--emit-sql DIALECT] --out DIR",
  writes: true,
  flags: {
    logs: {
      type: "string",
      multiple: true,
      variadic: true,
      value: "F",
      description: "Prod log files or globs: JSONL, CSV or Parquet",
    },
    n: { type: "string", value: "N", description: "Items to draw" },
    seed: { type: "string", value: "S", description: "The seed (same seed, same sample)" },
    strata: {
      type: "string",
      value: "COL",
      description: "The column that defines strata",
      default: "topic",
    },
    mix: {
      type: "string",
      value: "FILE",
      description: "JSON shares per stratum (default: the mix observed in the window)",
    },
    since: {
      type: "string",
      value: "D",
      description: "Window start, inclusive (ISO date or time)",
    },
    until: {
      type: "string",
      value: "D",
      description: "Window end: a date includes that day; a date-time is exclusive",
    },
    exclude: {
      type: "string",
      multiple: true,
      variadic: true,
      value: "F",
      description: "Regression-case files: their queries are never sampled",
    },
    oversample: {
      type: "string",
      multiple: true,
      value: "FEEDBACK=SHARE",
      description:
        "Draw this share of each stratum from records with this feedback (down or up), e.g. down=0.3; items then carry inclusion weights",
    },
    map: {
      type: "string",
      multiple: true,
      value: "FIELD=COLUMN",
      description: "Read a log field from another column name",
    },
    "emit-sql": {
      type: "string",
      value: "DIALECT",
      description: `Print the whole sample as one SQL query instead (${DIALECTS.join(", ")})`,
    },
    table: {
      type: "string",
      value: "NAME",
      description: "With --emit-sql for a warehouse: the table holding the logs",
      default: "prod_logs",
    },
    format: {
      type: "string",
      value: "NAME",
      description: `The logs' export format (${LOG_FORMATS.join(", ")})`,
      default: "evalkit",
    },
    "feedback-key": {
      type: "string",
      value: "NAME",
      description: "For exported logs: the feedback/score name that holds the user's feedback",
    },
  },
  async run(ctx) {
    const n = positiveInt(ctx, "n", sample);
    const seed = requireString(ctx, "seed", sample);
    const mixFile = ctx.values.mix as string | undefined;
    const mix = mixFile ? await readMix(mixFile) : undefined;
    const map = parseMap(ctx.values.map as string[] | undefined);
    const logs = [...strings(ctx, "logs"), ...ctx.positionals];
    const exclude = strings(ctx, "exclude");
    const strata = ctx.values.strata as string;
    const emit = ctx.values["emit-sql"] as string | undefined;
    const oversample = parseOversample(ctx.values.oversample as string[] | undefined);
    const options: SampleOptions = {
      logs,
      n,
      seed,
      strata,
      mix,
      since: ctx.values.since as string | undefined,
      until: ctx.values.until as string | undefined,
      exclude,
      map,
      ...(oversample ? { oversample } : {}),
    };
    if (emit !== undefined && emit !== "duckdb") {
      const sql = await warehouseSql(emit, options, ctx.values.table as string);
      return { summary: { dialect: emit, sql }, stdout: sql };
    }
    if (logs.length === 0) {
      throw usageError(`Missing required flag --logs\nusage: evalkit ${sample.usage}`);
    }
    const result = await sampleAnyFormat(ctx, options);
    if (emit === "duckdb") {
      return { summary: { dialect: emit, sql: result.sql }, stdout: result.sql };
    }
    for (const w of result.summary.warnings) ctx.reporter.warn(w);
    const artifact = await writeEvalset(result, {
      ...options,
      out: ctx.values.out as string,
      mixFile,
    });
    return { summary: reportSample(ctx, result.summary, artifact) };
  },
};

/** `--emit-sql` for a warehouse: the query over its table, the held-out texts read here. */
async function warehouseSql(emit: string, options: SampleOptions, table: string): Promise<string> {
  if (!DIALECTS.includes(emit as Dialect)) {
    throw usageError(`Unknown --emit-sql "${emit}": expected one of ${DIALECTS.join(", ")}`);
  }
  const texts: string[] = [];
  for (const f of options.exclude ?? []) {
    for (const c of await readRecords(f, RegressionCase, { key: ["id"] })) {
      texts.push(recordText(c));
    }
  }
  return sampleSql(emit as Dialect, {
    n: options.n,
    seed: String(options.seed),
    strata: options.strata ?? "topic",
    mix: options.mix,
    // The same instants the local sample compares with (a --until date includes its day).
    since: windowBound(options.since, "since", false),
    until: windowBound(options.until, "until", true),
    exclude: texts,
    map: options.map,
    table,
    ...(options.oversample ? { oversample: options.oversample } : {}),
  });
}

/** Sample logs in evalkit's shape or an export format (read into evalkit's shape first). */
async function sampleAnyFormat(ctx: CommandContext, options: SampleOptions): Promise<SampleResult> {
  const format = logFormatFlag(ctx.values.format);
  const canon = await canonicalLogs(options.logs, {
    format,
    map: options.map ?? {},
    feedbackKey: ctx.values["feedback-key"] as string | undefined,
  });
  let result;
  try {
    result = await sampleLogs(canon ? { ...options, logs: [canon.file], map: {} } : options);
  } finally {
    if (canon) await Deno.remove(canon.dir, { recursive: true });
  }
  if (canon) {
    result.files = canon.originals;
    result.summary.warnings.unshift(...canon.warnings);
    // The query reads the records in evalkit's shape, not the export itself.
    result.sql =
      `-- reads ${
        canon.originals.join(", ")
      } as --format ${format} writes them in evalkit's log shape\n` +
      result.sql.replaceAll(canon.file, "logs.evalkit.jsonl");
  }
  return result;
}

/** Say what was sampled on stderr; the `--json` summary. */
function reportSample(
  ctx: CommandContext,
  s: SampleSummary,
  artifact: ArtifactResult,
): Record<string, unknown> {
  const strataLine = Object.entries(s.strata)
    .map(([name, v]) => `${name} ${v.got}/${v.target}`).join(", ");
  ctx.reporter.info(
    `sampled ${s.n} of ${s.population} distinct queries (${s.rows} records, ${s.in_window} in window, ` +
      `${s.duplicates_removed} duplicates, ${s.excluded} held out): ${strataLine}`,
  );
  ctx.reporter.info(
    `mix: TVD ${s.mix.tvd.toFixed(4)}, chi-square p ${
      s.mix.chi_square.p_value?.toFixed(3) ?? "n/a"
    }; PII replaced: ${Object.entries(s.pii).map(([t, c]) => `${t} ${c}`).join(", ") || "none"}`,
  );
  if (s.oversample) ctx.reporter.info(oversampleLine(s));
  ctx.reporter.info(`artifact ${artifact.dir}${artifact.created ? "" : " (identical, kept)"}`);
  return {
    artifact: artifact.dir,
    n: s.n,
    strata: Object.fromEntries(
      Object.entries(s.strata).map(([k, v]) => [k, { target: v.target, got: v.got }]),
    ),
    pii: s.pii,
    duplicates_removed: s.duplicates_removed,
    excluded: s.excluded,
    population: s.population,
    in_window: s.in_window,
    prod_mix: s.mix.prod,
    eval_mix: s.mix.eval,
    tvd: s.mix.tvd,
    chi_square: s.mix.chi_square,
    ...(s.oversample ? { oversample: s.oversample } : {}),
    warnings: s.warnings,
  };
}

/** "oversample down=0.3: 60 of 200 items thumbed-down (prod 8.3%); inclusion weights 6.9–38.4". */
function oversampleLine(s: SampleSummary): string {
  const o = s.oversample!;
  const cells = Object.values(o.cells).flatMap((byGroup) => Object.entries(byGroup));
  const weights = cells.flatMap(([, c]) => (c.weight === null ? [] : [c.weight]));
  const parts = Object.keys(o.shares).map((g) => {
    const drawn = cells.filter(([k]) => k === g).reduce((a, [, c]) => a + c.got, 0);
    const prod = cells.filter(([k]) => k === g).reduce((a, [, c]) => a + c.available, 0);
    const all = cells.reduce((a, [, c]) => a + c.available, 0);
    return `${drawn} of ${s.n} items thumbed-${g} (prod ${(100 * prod / (all || 1)).toFixed(1)}%)`;
  });
  const range = weights.length
    ? `${Math.min(...weights).toFixed(2)}–${Math.max(...weights).toFixed(2)}`
    : "none";
  return `oversample ${Object.entries(o.shares).map(([g, v]) => `${g}=${v}`).join(" ")}: ${
    parts.join(", ")
  }; inclusion weights ${range}`;
}
