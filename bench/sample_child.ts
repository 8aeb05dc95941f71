/**
 * One measured step of bench/sample_run.ts, in its own process so that its
 * peak RSS is its own: `sample FILE` (the 200-item stratified sample) or
 * `count FILE` (DuckDB's bare count(*) scan). Prints one JSON line.
 */
import { openDuckDB, readFunction } from "../lib/io/duckdb.ts";
import { formatOf } from "../lib/io/read.ts";
import { sampleLogs } from "../lib/sample/sample.ts";

function peakRssMiB(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const [what, file] = Deno.args;
const start = performance.now();
let detail: unknown;
if (what === "sample") {
  const r = await sampleLogs({
    logs: [file],
    n: 200,
    seed: "bench",
    mix: { billing: 0.6, technical: 0.2, account: 0.1, other: 0.1 },
  });
  detail = { n: r.items.length, rows: r.summary.rows, strata: r.summary.strata };
} else {
  const db = await openDuckDB();
  const sql = what === "count"
    ? `SELECT count(*) AS n FROM ${readFunction(file, formatOf(file) as "jsonl" | "parquet")}`
    : `SELECT count(query) AS n FROM ${readFunction(file, formatOf(file) as "jsonl" | "parquet")}`;
  detail = (await db.conn.runAndReadAll(sql)).getRowObjectsJson()[0];
  db.close();
}
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ what, file, seconds, peak_rss_mib: peakRssMiB(), detail }));
