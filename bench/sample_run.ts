/**
 * `deno task bench:sample`: sample 200 stratified items from a 1,000,000-record
 * prod log, as JSONL and as Parquet, and compare with DuckDB's bare scans of
 * the same file, measured side by side in this run (alternating, 3 rounds,
 * medians). Each step runs in its own process so its peak RSS is its own.
 *
 * Targets: sample time ≤ 1.5 × the count(*) scan; peak RSS ≤ 1 GiB.
 */
import { jsonlToParquet } from "../lib/io/write.ts";

const ROWS = Number(Deno.env.get("BENCH_ROWS") ?? 1_000_000);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 3);
const dir = await Deno.makeTempDir({ prefix: "evalkit-bench-sample-" });
const jsonl = `${dir}/logs.jsonl`;
const parquet = `${dir}/logs.parquet`;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function generate(): Promise<void> {
  const rand = rng(20261129);
  const topics = ["billing", "technical", "account", "other"];
  const cum = [0.6, 0.8, 0.9, 1];
  const words = [
    "invoice",
    "refund",
    "card",
    "login",
    "export",
    "plan",
    "tax",
    "bank",
    "sync",
    "error",
  ];
  using f = await Deno.open(jsonl, { write: true, create: true, truncate: true });
  const enc = new TextEncoder();
  let buf = "";
  const start = Date.parse("2026-06-01T00:00:00Z");
  for (let i = 0; i < ROWS; i++) {
    const u = rand();
    const topic = topics[cum.findIndex((c) => u < c)];
    const q = `how do i ${words[Math.floor(rand() * 10)]} my ${words[Math.floor(rand() * 10)]} ${
      Math.floor(rand() * 100000)
    } pls`;
    const ts = new Date(start + Math.floor(rand() * 90 * 86400_000)).toISOString();
    buf += JSON.stringify({
      id: `log-${i}`,
      ts,
      query: q,
      response: "Go to Settings > Billing and choose the invoice. ".repeat(3),
      topic,
      model: "mistral-small-ledgerly-v1",
      feedback: rand() < 0.1 ? "down" : null,
    }) + "\n";
    if (buf.length > 1 << 20) {
      await f.write(enc.encode(buf));
      buf = "";
    }
  }
  await f.write(enc.encode(buf));
}

async function child(what: string, file: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./sample_child.ts", import.meta.url).pathname, what, file],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (out.code !== 0) throw new Error(`${what} ${file} failed`);
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.error(`generating ${ROWS.toLocaleString()} records in ${dir} ...`);
await generate();
await jsonlToParquet(jsonl, parquet);
const sizes = { jsonl: (await Deno.stat(jsonl)).size, parquet: (await Deno.stat(parquet)).size };
console.log(
  `logs: ${ROWS.toLocaleString()} records; JSONL ${
    (sizes.jsonl / 2 ** 20).toFixed(0)
  } MiB, Parquet ${(sizes.parquet / 2 ** 20).toFixed(0)} MiB`,
);
console.log(
  "| file | sample s | rows/s | peak RSS MiB | count(*) s | sample / count(*) | count(query) s | sample / count(query) |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const file of [jsonl, parquet]) {
  const sample: number[] = [];
  const count: number[] = [];
  const countQuery: number[] = [];
  let rss = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const s = await child("sample", file);
    if (s.detail.n !== 200) throw new Error(`sampled ${s.detail.n}, expected 200`);
    sample.push(s.seconds);
    rss = Math.max(rss, s.peak_rss_mib);
    count.push((await child("count", file)).seconds);
    countQuery.push((await child("count-query", file)).seconds);
  }
  const [ms, mc, mq] = [median(sample), median(count), median(countQuery)];
  console.log(
    `| ${file.endsWith(".parquet") ? "Parquet" : "JSONL"} | ${ms.toFixed(2)} | ${
      Math.round(ROWS / ms).toLocaleString()
    } | ${rss.toFixed(0)} | ${mc.toFixed(2)} | ${(ms / mc).toFixed(2)} | ${mq.toFixed(2)} | ${
      (ms / mq).toFixed(2)
    } |`,
  );
}
await Deno.remove(dir, { recursive: true });
