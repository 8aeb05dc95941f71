/**
 * The seeded demo world in data/demo/: every file validates, the world has
 * the promised shape (size, topic mix, releases, PII truth, held-out cases,
 * raters), its text carries the ground truth, and regenerating it gives the
 * committed bytes.
 */
import assert from "node:assert/strict";
import { parse as parseCsv } from "csv-parse/sync";
import { readRecords } from "../lib/io/read.ts";
import {
  EvalItem,
  HumanRating,
  ProdLogRecord,
  RegressionCase,
  Release,
  Response,
} from "../lib/schemas.ts";
import {
  DIMS,
  generateWorld,
  LENGTH_BANDS,
  lengthScore,
  METRIC_MODEL,
  RATED_RELEASE,
  RELEASES,
  SEED,
  wordCount,
} from "../data/demo/generate.ts";

const DEMO = new URL("../data/demo/", import.meta.url).pathname;
const SOURCES = new Set(["generate.ts", "_content.ts", "README.md"]);

type Scores = Record<string, number>;
type Asked = { query?: string; messages?: { role: string; content: string }[] };

function jsonl<T = Record<string, unknown>>(name: string): T[] {
  return Deno.readTextFileSync(DEMO + name).trimEnd().split("\n").map((l) => JSON.parse(l));
}

function userText(r: Asked): string {
  const text = r.query ??
    r.messages!.filter((m) => m.role === "user").map((m) => m.content).join(" | ");
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

function dataFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const rel = prefix + e.name;
    if (e.isDirectory) out.push(...dataFiles(`${dir}/${e.name}`, rel + "/"));
    else if (!SOURCES.has(rel)) out.push(rel);
  }
  return out.sort();
}

function luhn(digits: string): boolean {
  const ds = digits.replace(/\D/g, "");
  let sum = 0;
  for (let i = 0; i < ds.length; i++) {
    let d = Number(ds[ds.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function ibanChecksumOk(iban: string): boolean {
  const s = iban.replace(/ /g, "");
  const moved = s.slice(4) + s.slice(0, 4);
  let r = 0;
  for (const ch of moved) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) r = (r * 10 + Number(d)) % 97;
  }
  return r === 1;
}

function isIpv4(s: string): boolean {
  const parts = s.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function spearman(x: number[], y: number[]): number {
  const rank = (a: number[]) => {
    const idx = a.map((v, i) => [v, i]).sort((p, q) => p[0] - q[0]);
    const r = new Array(a.length);
    for (let i = 0; i < idx.length;) {
      let j = i;
      while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
      for (let k = i; k <= j; k++) r[idx[k][1]] = (i + j) / 2;
      i = j + 1;
    }
    return r as number[];
  };
  const rx = rank(x), ry = rank(y);
  const m = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const mx = m(rx), my = m(ry);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

Deno.test("demo world: every file validates against its lib/schemas.ts schema", async () => {
  const logs = await readRecords(DEMO + "logs.jsonl", ProdLogRecord, { key: ["id"] });
  assert.ok(logs.length > 0);
  await readRecords(DEMO + "eval_queries.jsonl", EvalItem, { key: ["id"] });
  await readRecords(DEMO + "regression_cases.jsonl", RegressionCase, { key: ["id"] });
  await readRecords(DEMO + "releases.csv", Release, { key: ["release"] });
  for (const rater of ["ana", "ben"]) {
    await readRecords(`${DEMO}ratings/${rater}.csv`, HumanRating, { key: ["item_id", "rater"] });
  }
  for (const r of RELEASES) {
    await readRecords(`${DEMO}responses/${r.release}.jsonl`, Response, { key: ["item_id"] });
    await readRecords(`${DEMO}case_responses/${r.release}.jsonl`, Response, { key: ["item_id"] });
  }
});

Deno.test("demo world: logs hold at least 5000 records over at least 30 days, sorted by time", () => {
  const logs = jsonl<{ id: string; ts: string }>("logs.jsonl");
  assert.ok(logs.length >= 5000, `only ${logs.length} logs`);
  const days = new Set(logs.map((l) => l.ts.slice(0, 10)));
  assert.ok(days.size >= 30, `only ${days.size} days`);
  for (let i = 1; i < logs.length; i++) {
    assert.ok(logs[i - 1].ts <= logs[i].ts, `${logs[i].id} out of order`);
  }
  assert.ok(logs.every((l) => /Z$/.test(l.ts)));
});

Deno.test("demo world: the log topic mix is within 2 points of 60/20/10/10", () => {
  const logs = jsonl<{ topic: string }>("logs.jsonl");
  const want: Record<string, number> = { billing: 0.6, technical: 0.2, account: 0.1, other: 0.1 };
  assert.deepEqual(new Set(logs.map((l) => l.topic)), new Set(Object.keys(want)));
  for (const [topic, share] of Object.entries(want)) {
    const got = logs.filter((l) => l.topic === topic).length / logs.length;
    assert.ok(Math.abs(got - share) <= 0.02, `${topic}: ${got.toFixed(3)} vs ${share}`);
  }
});

Deno.test("demo world: logs are messy: multi-turn, non-English and repeated queries", () => {
  const logs = jsonl<{ query?: string; messages?: { role: string; content: string }[] }>(
    "logs.jsonl",
  );
  const multi = logs.filter((l) => l.messages);
  assert.ok(multi.length / logs.length > 0.07 && multi.length / logs.length < 0.13);
  assert.ok(multi.every((l) => l.messages!.at(-1)!.role === "user"));
  const nonEnglish = logs.filter((l) =>
    /[¿ñãçéüöäß]|\b(Wie|Comment|Como|Wo|Ich|Kann|Die)\b/.test(l.query ?? "")
  );
  assert.ok(nonEnglish.length / logs.length > 0.02, `${nonEnglish.length} non-English`);
  const seenExact = new Set<string>(), seenNorm = new Set<string>();
  let exact = 0, near = 0;
  for (const l of logs.filter((x) => x.query !== undefined)) {
    const n = userText(l);
    if (seenExact.has(l.query!)) exact++;
    else if (seenNorm.has(n)) near++;
    seenExact.add(l.query!);
    seenNorm.add(n);
  }
  assert.ok(exact > 30 && near > 30, `exact ${exact}, near ${near}`);
  assert.ok((exact + near) / logs.length < 0.08, `${exact + near} repeats`);
});

Deno.test("demo world: there are at least 8 releases, dated in order, with realistic prod metrics", async () => {
  const rows = await readRecords(DEMO + "releases.csv", Release);
  assert.ok(rows.length >= 8);
  assert.deepEqual(rows.map((r) => r.release), RELEASES.map((r) => r.release));
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].date < rows[i].date);
  for (const r of rows) {
    assert.ok(
      r.thumbs_down_rate >= 0.03 && r.thumbs_down_rate <= 0.16,
      `${r.release} tdr ${r.thumbs_down_rate}`,
    );
    assert.ok(
      r.tickets_per_1k >= 2 && r.tickets_per_1k <= 9,
      `${r.release} tickets ${r.tickets_per_1k}`,
    );
    assert.equal(r.eval_run, `runs/judge-${r.release}`);
  }
});

Deno.test("demo world: prod metrics follow the documented metric model within its noise", async () => {
  const rows = await readRecords(DEMO + "releases.csv", Release);
  for (const [i, rel] of RELEASES.entries()) {
    for (const metric of ["thumbs_down_rate", "tickets_per_1k"] as const) {
      const m = METRIC_MODEL[metric];
      let mean = m.intercept;
      for (const d of DIMS) mean += m.coefficients[d] * (rel.latent[d] - 3);
      const got = rows[i][metric] as number;
      assert.ok(
        Math.abs(got - mean) <= 4 * m.noise_sd,
        `${rel.release} ${metric}: ${got} vs ${mean}`,
      );
    }
  }
  // Length drives neither metric.
  assert.equal(METRIC_MODEL.thumbs_down_rate.coefficients.length, 0);
  assert.equal(METRIC_MODEL.tickets_per_1k.coefficients.length, 0);
});

Deno.test("demo world: each log's model and thumbs-down share match the release in production", async () => {
  const rows = await readRecords(DEMO + "releases.csv", Release);
  const logs = jsonl<{ ts: string; model: string; feedback: string | null }>("logs.jsonl");
  for (const [i, r] of rows.entries()) {
    const end = rows[i + 1]?.date ?? "9999-12-31";
    const period = logs.filter((l) => l.ts.slice(0, 10) >= r.date && l.ts.slice(0, 10) < end);
    assert.ok(period.length > 100);
    assert.ok(period.every((l) => l.model === r.model), `${r.release}: wrong model in its period`);
    const down = period.filter((l) => l.feedback === "down").length / period.length;
    assert.ok(
      Math.abs(down - r.thumbs_down_rate) <= 1 / period.length,
      `${r.release}: ${down} vs ${r.thumbs_down_rate}`,
    );
  }
  assert.ok(logs.some((l) => l.feedback === "up") && logs.some((l) => l.feedback === null));
});

Deno.test("demo world: the eval set is 300 items stratified 60/20/10/10 and drawn from the logs", () => {
  const items = jsonl<
    {
      id: string;
      stratum: string;
      source_id: string;
      reference?: string[];
    } & Asked
  >("eval_queries.jsonl");
  const logs = new Map(jsonl<{ id: string; topic: string }>("logs.jsonl").map((l) => [l.id, l]));
  assert.equal(items.length, 300);
  const count = (s: string) => items.filter((i) => i.stratum === s).length;
  assert.deepEqual([count("billing"), count("technical"), count("account"), count("other")], [
    180,
    60,
    30,
    30,
  ]);
  for (const item of items) {
    const log = logs.get(item.source_id);
    assert.ok(log, `${item.id}: unknown source ${item.source_id}`);
    assert.equal(log.topic, item.stratum);
  }
  const withRef = items.filter((i) => i.reference).length;
  assert.ok(withRef > 120 && withRef < 180, `${withRef} items with a reference`);
  assert.equal(new Set(items.map(userText)).size, items.length, "eval queries repeat");
});

Deno.test("demo world: every release answered every eval item and every regression case", () => {
  const items = jsonl<{ id: string }>("eval_queries.jsonl").map((i) => i.id).sort();
  const cases = jsonl<{ id: string }>("regression_cases.jsonl").map((c) => c.id).sort();
  for (const r of RELEASES) {
    const responses = jsonl<{ item_id: string; model: string }>(`responses/${r.release}.jsonl`);
    assert.deepEqual(responses.map((x) => x.item_id).sort(), items, r.release);
    assert.ok(responses.every((x) => x.model === r.model));
    const truth = jsonl<{ item_id: string }>(`truth/${r.release}.jsonl`);
    assert.deepEqual(truth.map((x) => x.item_id).sort(), items, `truth ${r.release}`);
    const caseResponses = jsonl<{ item_id: string }>(`case_responses/${r.release}.jsonl`);
    assert.deepEqual(caseResponses.map((x) => x.item_id).sort(), cases, `cases ${r.release}`);
  }
});

Deno.test("demo world: PII truth offsets point at the planted values in UTF-16", () => {
  const logs = new Map(
    jsonl<{ id: string; query?: string; messages?: { content: string }[] }>("logs.jsonl").map((
      l,
    ) => [l.id, l]),
  );
  const truth = jsonl<
    { log_id: string; field: string; type: string; value: string; start: number; end: number }
  >(
    "pii_truth.jsonl",
  );
  const types = new Set([
    "email",
    "phone",
    "card",
    "ipv4",
    "ipv6",
    "secret",
    "iban",
    "ssn",
    "address",
  ]);
  assert.deepEqual(new Set(truth.map((t) => t.type)), types);
  for (const t of truth) {
    const log = logs.get(t.log_id)!;
    const m = /^messages\[(\d+)\]\.content$/.exec(t.field);
    const text = t.field === "query" ? log.query! : log.messages![Number(m![1])].content;
    assert.equal(text.slice(t.start, t.end), t.value, `${t.log_id} ${t.field}`);
    if (t.type === "card") assert.ok(luhn(t.value), `card ${t.value} fails Luhn`);
    if (t.type === "iban") assert.ok(ibanChecksumOk(t.value), `IBAN ${t.value} fails mod 97`);
    if (t.type === "ipv4") assert.ok(isIpv4(t.value), t.value);
    if (t.type === "email") assert.match(t.value, /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i);
    if (t.type === "ssn") {
      const area = Number(t.value.slice(0, 3));
      assert.ok(area > 0 && area !== 666 && area < 900, `SSN ${t.value}`);
    }
  }
  const share = new Set(truth.map((t) => t.log_id)).size / logs.size;
  assert.ok(share > 0.12 && share < 0.18, `PII in ${share} of logs`);
  assert.ok(truth.some((t) => t.field.startsWith("messages[")));
});

Deno.test("demo world: near-misses are not PII and do not overlap the PII truth", () => {
  const truth = jsonl<{ log_id: string; field: string; start: number; end: number }>(
    "pii_truth.jsonl",
  );
  const near = jsonl<
    { log_id: string; field: string; kind: string; value: string; start: number; end: number }
  >(
    "pii_near_misses.jsonl",
  );
  assert.ok(near.length > 50);
  for (const n of near) {
    if (n.kind === "non_luhn_16_digits") assert.ok(!luhn(n.value), n.value);
    if (n.kind === "version_string") assert.ok(!isIpv4(n.value.replace(/^v/, "")), n.value);
    const clash = truth.find((t) =>
      t.log_id === n.log_id && t.field === n.field && t.start < n.end && n.start < t.end
    );
    assert.equal(clash, undefined);
  }
});

Deno.test("demo world: eval queries and regression cases carry no planted PII", () => {
  const values = jsonl<{ value: string }>("pii_truth.jsonl").map((t) => t.value);
  for (const name of ["eval_queries.jsonl", "regression_cases.jsonl"]) {
    const text = Deno.readTextFileSync(DEMO + name);
    const leaked = values.filter((v) => text.includes(JSON.stringify(v).slice(1, -1)));
    assert.deepEqual(leaked, [], name);
  }
});

Deno.test("demo world: regression case queries are held out of the eval set", () => {
  const items = new Set(jsonl("eval_queries.jsonl").map(userText));
  const cases = jsonl<{ id: string; source: string; min_scores?: Scores } & Asked>(
    "regression_cases.jsonl",
  );
  assert.ok(cases.length >= 25);
  for (const c of cases) assert.ok(!items.has(userText(c)), `${c.id} is also an eval query`);
  assert.equal(new Set(cases.map((c) => c.source)).size, cases.length);
  assert.ok(cases.every((c) => /^(INC|TICKET)-\d+$/.test(c.source) && c.min_scores?.correctness));
});

Deno.test("demo world: the two raters rate the same release with a partial overlap", () => {
  const read = (rater: string) =>
    parseCsv(Deno.readTextFileSync(`${DEMO}ratings/${rater}.csv`), { columns: true }) as Record<
      string,
      string
    >[];
  const ana = read("ana"), ben = read("ben");
  assert.equal(ana.length, 50);
  assert.equal(ben.length, 50);
  const anaIds = new Set(ana.map((r) => r.item_id));
  const shared = ben.filter((r) => anaIds.has(r.item_id)).length;
  assert.ok(shared >= 30 && shared < 50, `${shared} shared items`);
  const items = new Set(jsonl<{ id: string }>("eval_queries.jsonl").map((i) => i.id));
  assert.ok([...ana, ...ben].every((r) => items.has(r.item_id)));
  // ben is harsher than ana on the shared items, as documented.
  const truth = new Map(
    jsonl<{ item_id: string; scores: Scores }>(`truth/${RATED_RELEASE}.jsonl`).map((
      t,
    ) => [t.item_id, t.scores]),
  );
  const bias = (rows: Record<string, string>[]) =>
    rows.reduce(
      (s, r) => s + DIMS.reduce((a, d) => a + Number(r[d]) - truth.get(r.item_id)![d], 0),
      0,
    ) /
    (rows.length * DIMS.length);
  assert.ok(bias(ben) < bias(ana) - 0.15, `ana ${bias(ana)}, ben ${bias(ben)}`);
});

Deno.test("demo world: true length scores are the word-count band scores of the response text", () => {
  const strata = new Map(
    jsonl<{ id: string; stratum: string }>("eval_queries.jsonl").map((i) => [i.id, i.stratum]),
  );
  for (const r of RELEASES) {
    const truth = new Map(
      jsonl<{ item_id: string; scores: Scores }>(`truth/${r.release}.jsonl`).map((
        t,
      ) => [t.item_id, t.scores]),
    );
    for (const x of jsonl<{ item_id: string; response: string }>(`responses/${r.release}.jsonl`)) {
      const band = LENGTH_BANDS[strata.get(x.item_id) as keyof typeof LENGTH_BANDS];
      assert.equal(
        truth.get(x.item_id)!.length,
        lengthScore(wordCount(x.response), band),
        `${r.release} ${x.item_id}`,
      );
    }
  }
});

Deno.test("demo world: responses state more reference facts as true correctness rises", () => {
  const refs = new Map(
    jsonl<{ id: string; reference?: string[] }>("eval_queries.jsonl").filter((i) => i.reference)
      .map((i) => [i.id, i.reference!]),
  );
  const coverage: number[] = [], correctness: number[] = [];
  for (const r of RELEASES) {
    const truth = new Map(
      jsonl<{ item_id: string; scores: Scores }>(`truth/${r.release}.jsonl`).map((
        t,
      ) => [t.item_id, t.scores]),
    );
    for (const x of jsonl<{ item_id: string; response: string }>(`responses/${r.release}.jsonl`)) {
      const ref = refs.get(x.item_id);
      if (!ref) continue;
      coverage.push(ref.filter((f) => x.response.includes(f)).length / ref.length);
      correctness.push(truth.get(x.item_id)!.correctness);
    }
  }
  assert.ok(spearman(coverage, correctness) > 0.85, `spearman ${spearman(coverage, correctness)}`);
});

Deno.test("demo world: release means of true scores track the latent quality table", () => {
  for (const r of RELEASES) {
    const truth = jsonl<{ scores: Scores }>(`truth/${r.release}.jsonl`);
    for (const d of DIMS) {
      const mean = truth.reduce((s, t) => s + t.scores[d], 0) / truth.length;
      assert.ok(
        Math.abs(mean - r.latent[d]) < 0.3,
        `${r.release} ${d}: ${mean.toFixed(2)} vs ${r.latent[d]}`,
      );
    }
  }
});

Deno.test("demo world: README states the generator's seed and latent quality table", () => {
  const readme = Deno.readTextFileSync(DEMO + "README.md");
  assert.ok(readme.includes(String(SEED)));
  for (const r of RELEASES) {
    const row = readme.split("\n").find((l) => l.startsWith(`| ${r.release} `));
    assert.ok(row, `README has no row for ${r.release}`);
    const cells = row.split("|").map((c) => c.trim()).filter((c) => c !== "");
    const values = DIMS.map((d) => r.latent[d]);
    assert.deepEqual(cells.slice(1, 6).map(Number), values, r.release);
  }
});

Deno.test("demo world: regenerating the world reproduces the committed files byte for byte", async () => {
  const dir = await Deno.makeTempDir({ prefix: "evalkit-demo-" });
  try {
    const summary = await generateWorld(dir);
    const committed = dataFiles(DEMO.replace(/\/$/, ""));
    assert.deepEqual(dataFiles(dir), summary.files);
    assert.deepEqual(
      committed,
      summary.files,
      "data/demo holds other files than the generator writes",
    );
    for (const name of summary.files) {
      const a = Deno.readFileSync(DEMO + name), b = Deno.readFileSync(`${dir}/${name}`);
      assert.ok(
        a.length === b.length && a.every((v, i) => v === b[i]),
        `${name} differs from a fresh run`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
