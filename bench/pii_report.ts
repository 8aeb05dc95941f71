/**
 * `deno task bench:pii`: the anonymiser's recall per PII type and the share of
 * look-alikes it altered, on the independent corpus of tests/fixtures/pii/
 * (built from public format rules: see its README), then the same on the demo
 * world, which our own generator wrote (a regression check, not a recall
 * estimate), then a person-name finder from npm (compromise) on the corpus's names.
 *
 * `--json` prints the figures as one JSON object instead.
 *
 * @module
 */
import nlp from "compromise";
import { readRecords } from "../lib/io/read.ts";
import { demoPaths, PiiTruth } from "../lib/demo_world.ts";
import { ProdLogRecord } from "../lib/schemas.ts";
import {
  piiCorpusPaths,
  PiiNameRecord,
  readPiiCorpus,
  scoreNameFinder,
  scorePiiCorpus,
} from "../lib/sample/pii_eval.ts";
import type { PiiCorpusRecord } from "../lib/sample/pii_eval.ts";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(6);

/** The demo world's planted values as corpus records (one per planted value). */
async function demoAsCorpus(): Promise<PiiCorpusRecord[]> {
  const paths = demoPaths();
  const logs = await readRecords(paths.logs, ProdLogRecord);
  const truth = await readRecords(paths.pii, PiiTruth);
  const texts = new Map<string, string>();
  for (const log of logs) {
    if (log.query !== undefined) texts.set(`${log.id}|query`, log.query);
    log.messages?.forEach((m, i) => {
      if (typeof m.content === "string") texts.set(`${log.id}|messages[${i}].content`, m.content);
    });
  }
  return truth.flatMap((t, i) => {
    const text = texts.get(`${t.log_id}|${t.field}`);
    return text === undefined ? [] : [{
      id: `demo-${i}`,
      type: t.type,
      form: "demo",
      text,
      value: t.value,
      start: t.start,
      end: t.end,
    }];
  });
}

/** compromise's `people()` matches, as spans. */
function compromisePeople(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const doc = nlp(text);
  for (
    const p of doc.people().json({ offset: true }) as {
      offset: { start: number; length: number };
    }[]
  ) {
    out.push({ start: p.offset.start, end: p.offset.start + p.offset.length });
  }
  return out;
}

/** A corpus of the same rules under a seed the detectors were never tuned on. */
async function freshCorpus(seed: number) {
  const out = await Deno.makeTempDir();
  try {
    const script = new URL("../tests/fixtures/pii/make_corpus.ts", import.meta.url).pathname;
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script, "--seed", String(seed), "--out", out],
      stdout: "null",
      stderr: "null",
    }).output();
    if (run.code !== 0) throw new Error(`make_corpus.ts --seed ${seed} failed`);
    return await readPiiCorpus(`${out}/`, "");
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

const { corpus, lookalikes } = await readPiiCorpus();
const independent = scorePiiCorpus(corpus, lookalikes);
const seed = Number(Deno.args.find((a) => /^--seed=\d+$/.test(a))?.slice(7) ?? Date.now() % 100000);
const fresh = await freshCorpus(seed);
const held = scorePiiCorpus(fresh.corpus, fresh.lookalikes);
const demo = scorePiiCorpus(await demoAsCorpus(), []);
const names = await readRecords(piiCorpusPaths().names, PiiNameRecord);
const people = scoreNameFinder(names, lookalikes.map((l) => l.text), compromisePeople);

if (Deno.args.includes("--json")) {
  console.log(
    JSON.stringify({
      independent,
      fresh: { seed, ...held },
      demo,
      names: { finder: "compromise@14.17.0", ...people },
    }),
  );
} else {
  const lines = [
    `Independent corpus (tests/fixtures/pii, from public format rules): ${corpus.length} values, ${lookalikes.length} look-alikes`,
    ...Object.entries(independent.recall).map(([t, r]) =>
      `  ${t.padEnd(8)} recall ${pct(r.recall)}  (${r.hidden} of ${r.values} hidden)`
    ),
    `  overall  recall ${pct(independent.overallRecall)}`,
    `  look-alikes altered ${pct(independent.overallAltered)} overall:`,
    ...Object.entries(independent.lookalikes).map(([k, l]) =>
      `    ${k.padEnd(16)} ${pct(l.share)}  (${l.altered} of ${l.values})`
    ),
    "",
    `Fresh draw of the same rules (make_corpus.ts --seed ${seed}; detectors never tuned on it): ` +
    `${fresh.corpus.length} values, ${fresh.lookalikes.length} look-alikes`,
    ...Object.entries(held.recall).map(([t, r]) =>
      `  ${t.padEnd(8)} recall ${pct(r.recall)}  (${r.hidden} of ${r.values})`
    ),
    `  look-alikes altered ${pct(held.overallAltered)} ` +
    `(${
      Object.entries(held.lookalikes).filter(([, l]) => l.altered > 0).map(([k, l]) =>
        `${k} ${l.altered}`
      ).join(", ") || "none"
    })`,
    "",
    `Regression check on our own demo world (data/demo, written by our generator; not a recall estimate):`,
    ...Object.entries(demo.recall).map(([t, r]) =>
      `  ${t.padEnd(8)} recall ${pct(r.recall)}  (${r.hidden} of ${r.values})`
    ),
    "",
    `Person names, compromise@14.17.0 people() on ${people.names} corpus names (+ ${lookalikes.length} name-free texts):`,
    `  recall ${pct(people.recall)}  precision ${
      pct(people.precision)
    }  (${people.correct} of ${people.detected} flagged spans were names)`,
    `  adopted only at precision ≥ 90%: ${
      people.precision >= 0.9 ? "meets it" : "below it, names are not detected"
    }`,
  ];
  console.log(lines.join("\n"));
}
