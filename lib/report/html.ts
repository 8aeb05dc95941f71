/**
 * The report as one self-contained HTML page: inline CSS, inline SVG charts,
 * no script, no font, no link that leaves the file (a Content-Security-Policy
 * of `default-src 'none'` says so to the browser). Every piece of text from
 * data is escaped. Each dimension is reported on its own: nothing here adds
 * dimensions up.
 *
 * @module
 */
import { agreementChart } from "../agreement/charts.ts";
import { rationaleFor } from "../agreement/run.ts";
import { pairedDifferenceChart, VERDICT_COLORS } from "../compare/charts.ts";
import { scoreDistributionChart } from "../judge/summary.ts";
import { fmt as num, interval, pct, signed } from "../format.ts";
import { escapeHtml, type PlotOptions, renderSvg } from "../plot.ts";
import { anonymizeText } from "../sample/anonymize.ts";
import { scaleLabel } from "../dimensions.ts";
import { caseOutcome, gateChart } from "./charts.ts";
import { evalProdTile, evalVsProdSection } from "./eval_vs_prod.ts";
import { type LinkedSection, type ReportData, RUNS_PLACEHOLDER } from "./load.ts";

/**
 * The report's sections, in page order: `id` is the HTML id and `data-section`.
 *
 * @example
 * ```ts
 * import { REPORT_SECTIONS } from "./html.ts";
 * if (REPORT_SECTIONS[0].id !== "summary") throw new Error();
 * ```
 */
export const REPORT_SECTIONS = [
  { id: "summary", title: "Run" },
  { id: "warnings", title: "Warnings" },
  { id: "scores", title: "Scores" },
  { id: "comparison", title: "Comparison" },
  { id: "gate", title: "Regression gate" },
  { id: "agreement", title: "Judge vs humans" },
  { id: "correlation", title: "Eval vs prod" },
] as const;

/** Escape any value for HTML. */
export const e = (text: unknown) => escapeHtml(String(text ?? ""));

/** A coloured pill. */
export function badge(text: string, tone: string): string {
  return `<span class="badge ${e(tone)}">${e(text)}</span>`;
}

/** The badge tone of a verdict. */
export function tone(verdict: string): string {
  return ({
    improved: "good",
    passed: "good",
    ok: "good",
    "predicts prod": "good",
    regressed: "bad",
    failed: "bad",
    recalibrate: "bad",
    "moves against prod": "bad",
    "does not predict prod": "muted",
    "not enough evidence": "warn",
    undetermined: "warn",
  } as Record<string, string>)[verdict] ?? "muted";
}

/** A chart, rendered, in a `data-chart` box. */
export function chart(name: string, options: PlotOptions): string {
  return `<div class="chart" data-chart="${e(name)}">${renderSvg(options)}</div>`;
}

/** A table of HTML cells (already escaped). */
export function table(head: string[], rows: string[][], className = ""): string {
  return `<table${className ? ` class="${className}"` : ""}><thead><tr>${
    head.map((h) => `<th>${h}</th>`).join("")
  }</tr></thead><tbody>${
    rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")
  }</tbody></table>`;
}

/** A report section. */
export function section(
  id: string,
  title: string,
  lede: string,
  body: string,
  state = "present",
): string {
  return `<section id="${id}" data-section="${id}" data-state="${state}">` +
    `<h2>${e(title)}</h2>${lede ? `<p class="lede">${lede}</p>` : ""}${body}</section>`;
}

/** Why a linked artifact is missing, and the command that makes it. */
export function missingNote(data: ReportData, id: LinkedSection): string {
  const m = data.missing[id]!;
  return `<div class="missing-note" data-missing="${
    e(id)
  }"><p><strong>Not in this report.</strong> ${e(m.why)}</p>` +
    `<p>Produce it with:</p><pre><code>${e(m.command)}</code></pre>` +
    (m.command.includes(`${RUNS_PLACEHOLDER}/`)
      ? `<p class="dim"><code>${RUNS_PLACEHOLDER}</code> is the runs folder that holds ` +
        `<code>${e(data.run.artifact)}</code>.</p>`
      : "") +
    `<p>then run <code>evalkit report</code> again.</p></div>`;
}

function missingSection(data: ReportData, id: LinkedSection, title: string): string {
  return section(id, title, "", missingNote(data, id), "missing");
}

function runLabel(release: string | null, artifact: string): string {
  return release ? `${e(release)} <span class="dim">(${e(artifact)})</span>` : e(artifact);
}

function header(data: ReportData): string {
  const r = data.run;
  const title = [r.release, r.models.join(", ")].filter(Boolean).join(" · ") || r.artifact;
  const nav = REPORT_SECTIONS.map((s) => `<a href="#${s.id}">${e(s.title)}</a>`).join("");
  return `<header class="top"><div class="wrap">` +
    `<div class="kicker">evalkit report</div><h1>${e(title)}</h1>` +
    `<p class="sub">judged by <b>${e(r.judge.model)}</b> · eval set <code>${
      e((r.evalset.sha256 ?? "unknown").slice(0, 12))
    }</code> · ${r.counts.ok} of ${r.counts.items} items scored · ${e(r.artifact)}</p>` +
    `<nav>${nav}</nav></div></header>`;
}

/** The run's dimensions that a linked artifact also holds, in the run's order. */
function dimsIn<T extends object>(data: ReportData, record: T): (keyof T & string)[] {
  return data.scores.dimensions.filter((d) => d in record) as (keyof T & string)[];
}

function glance(data: ReportData): string {
  const tiles: string[] = [];
  const tile = (label: string, value: string, detail: string, t: string) =>
    tiles.push(
      `<div class="tile ${e(t)}"><div class="tile-label">${e(label)}</div>` +
        `<div class="tile-value">${value}</div><div class="tile-detail">${detail}</div></div>`,
    );
  if (data.comparison) {
    const dims = data.comparison.data.dimensions;
    const count = (v: string) => dimsIn(data, dims).filter((d) => dims[d].verdict === v);
    const reg = count("regressed");
    const imp = count("improved");
    const detail = [
      reg.length ? `regressed: ${reg.join(", ")}` : "",
      imp.length ? `improved: ${imp.join(", ")}` : "",
    ].filter(Boolean).join("; ") || "no detectable change on any dimension";
    tile(
      `vs ${data.comparison.baseline_release ?? data.comparison.data.baseline.artifact}`,
      reg.length ? `${reg.length} regressed` : imp.length ? `${imp.length} improved` : "no change",
      e(detail),
      reg.length ? "bad" : imp.length ? "good" : "muted",
    );
  } else tile("comparison", "none", "no baseline compared", "muted");
  if (data.gate) {
    const g = data.gate.data;
    tile(
      "regression gate",
      e(g.verdict),
      `${g.failed} of ${g.cases} cases fail; ${g.regressions.length} regressions`,
      tone(g.verdict),
    );
  } else tile("regression gate", "not run", "no gate for this model", "muted");
  if (data.agreement) {
    const a = data.agreement.data;
    tile(
      "judge vs humans",
      e(a.verdict),
      a.recalibrate.length
        ? `recalibrate: ${e(a.recalibrate.join(", "))}`
        : `all five at or above ${a.threshold}`,
      tone(a.verdict),
    );
  } else tile("judge vs humans", "no sample", "no human ratings", "muted");
  const ep = evalProdTile(data);
  tile(ep.label, ep.value, ep.detail, ep.tone);
  return `<div class="tiles">${tiles.join("")}</div>`;
}

function summarySection(data: ReportData): string {
  const r = data.run;
  const strata = r.evalset.strata
    ? Object.entries(r.evalset.strata).map(([s, n]) => `${e(s)} ${n}`).join(", ")
    : "not readable now";
  const used = (
    [
      ["comparison", data.comparison?.artifact],
      ["gate", data.gate?.artifact],
      ["agreement", data.agreement?.artifact],
      ["correlation", data.correlation?.artifact],
      ["validity", data.validity?.artifact],
    ] as const
  ).map(([k, v]) => `${k} ${v ? `<code>${e(v)}</code>` : "<i>none</i>"}`).join(" · ");
  const facts: [string, string][] = [
    ["Release", r.release ? e(r.release) : "<i>not named in a release registry</i>"],
    ["Model(s) under test", r.models.length ? e(r.models.join(", ")) : "<i>unknown</i>"],
    [
      "Judge",
      `${e(r.judge.model)}${
        r.judge.family ? ` <span class="dim">(family ${e(r.judge.family)})</span>` : ""
      }` +
      (r.judge.self_judged ? ` ${badge("self-judged", "bad")}` : ""),
    ],
    [
      "Judge prompt",
      `${r.prompt.name ? `${e(r.prompt.name)} · ` : ""}sha256 <code>${e(r.prompt.sha256)}</code>`,
    ],
    [
      "Eval set",
      `${r.evalset.artifact ? `<code>${e(r.evalset.artifact)}</code> · ` : ""}${
        e(r.evalset.path ?? "unknown")
      } · sha256 <code>${
        e((r.evalset.sha256 ?? "").slice(0, 12))
      }</code> · ${r.counts.items} items judged (${strata})`,
    ],
    ["Responses", r.responses ? e(r.responses) : "<i>the eval set's production answers</i>"],
    [
      "Judgments",
      `${r.counts.items} items: ${r.counts.ok} scored, ${r.counts.failed} failed, ` +
      `${r.counts.flagged} flagged as possible prompt injection`,
    ],
    [
      "Cost",
      `${r.cost_usd === null ? "unknown" : `$${r.cost_usd.toFixed(4)}`} · ` +
      `${r.tokens.prompt.toLocaleString("en-US")} prompt + ${
        r.tokens.completion.toLocaleString("en-US")
      } completion tokens`,
    ],
    ["Artifacts shown", used],
    [
      "Made by",
      `evalkit ${e(r.kit.version)}${
        r.kit.git_commit ? ` · commit <code>${e(r.kit.git_commit.slice(0, 12))}</code>` : ""
      } · run <code>${e(r.artifact)}</code>`,
    ],
  ];
  return section(
    "summary",
    "Run",
    "What was judged, by whom, with which prompt and eval set, and at what cost. " +
      "Each dimension is reported on its own throughout.",
    glance(data) +
      `<dl class="facts">${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join("")}</dl>`,
  );
}

function warningsSection(data: ReportData): string {
  if (data.warnings.length === 0) {
    return section("warnings", "Warnings", "", `<p class="ok-note">No warnings.</p>`);
  }
  const items = data.warnings.map((w) =>
    `<li data-warning="${e(w.kind)}">${badge(w.kind, w.kind === "small n" ? "warn" : "bad")} ${
      e(w.text)
    }</li>`
  ).join("");
  return section(
    "warnings",
    "Warnings",
    "Read every figure below with these in mind.",
    `<ul class="warnings">${items}</ul>`,
  );
}

function scoresSection(data: ReportData): string {
  const s = data.scores;
  const base = data.comparison?.data.dimensions as
    | Record<string, { baseline_mean: number; diff: number }>
    | undefined;
  const tiles = s.dimensions.map((d) =>
    `<div class="dim-tile"><div class="tile-label">${e(d)}</div>` +
    `<div class="tile-value">${num(s.means[d])}</div>` +
    `<div class="tile-detail">${
      base?.[d]
        ? `baseline ${num(base[d].baseline_mean)}, ${signed(base[d].diff)}`
        : `mean of ${s.n} items`
    }</div></div>`
  ).join("");
  return section(
    "scores",
    "Scores per dimension",
    `How the judge scored the ${s.n} items, ${scaleLabel(s.scale)} on each dimension` +
      (s.dimensions.includes("length")
        ? ` (for length, ${s.scale.max} is the ideal length, not the longest answer).`
        : "."),
    `<div class="dim-tiles">${tiles}</div>` +
      chart("score-distribution", scoreDistributionChart(s.distribution)),
  );
}

function comparisonSection(data: ReportData): string {
  if (!data.comparison) return missingSection(data, "comparison", "Comparison");
  const c = data.comparison.data;
  const baseName = data.comparison.baseline_release ?? c.baseline.artifact;
  const candName = data.run.release ?? c.candidate.artifact;
  const rows = dimsIn(data, c.dimensions).map((d) => {
    const v = c.dimensions[d];
    return [
      `<b>${e(d)}</b>`,
      num(v.baseline_mean),
      num(v.candidate_mean),
      `<b>${signed(v.diff)}</b>`,
      interval(v.ci),
      v.p_value < 0.0001 ? "&lt;0.0001" : num(v.p_value, 4),
      `${v.wins}/${v.ties}/${v.losses}`,
      num(v.mdd),
      v.prod_weighted ? `${signed(v.prod_weighted.diff)} ${interval(v.prod_weighted.ci)}` : "–",
      badge(v.verdict, tone(v.verdict)),
    ];
  });
  const cw = c.confidently_wrong;
  const h = c.hedge_rate;
  const notes = [
    cw
      ? `Confidently wrong (correctness ≤ 2 and calibration ≤ 2): ${pct(cw.baseline)} → ${
        pct(cw.candidate)
      } (${signed(cw.diff * 100, 1)} points, 95% CI ${signed(cw.ci[0] * 100, 1)} to ${
        signed(cw.ci[1] * 100, 1)
      })`
      : "",
    h ? `Hedging answers: ${pct(h.baseline.rate)} → ${pct(h.candidate.rate)}` : "",
    c.left_out.total > 0
      ? `${c.left_out.total} items left out (judged in one run only, or failed)`
      : "",
  ].filter(Boolean).map((t) => `<li>${e(t)}</li>`).join("");
  const readWith = c.warnings.length
    ? `<p class="dim small">Read with: ${c.warnings.map(e).join("; ")}</p>`
    : "";
  return section(
    "comparison",
    `Comparison: ${candName} vs ${baseName}`,
    `${e(candName)} (this run) against the baseline ${
      runLabel(data.comparison.baseline_release, c.baseline.artifact)
    }, ${e(c.baseline.models.join(", "))}: ${c.n} items paired on the same eval set, judge ` +
      `and prompt. A dot is the mean difference (${e(candName)} − ${
        e(baseName)
      }), the bar its 95% interval; a verdict needs the interval to exclude 0.`,
    chart("paired-difference", pairedDifferenceChart(c)) +
      table(
        [
          "dimension",
          e(baseName),
          e(candName),
          "diff",
          "95% CI",
          "p",
          "win/tie/loss",
          "MDD 80%",
          "prod-weighted diff",
          "verdict",
        ],
        rows,
        "numeric",
      ) + `<ul class="notes">${notes}</ul>${readWith}`,
  );
}

function gateSection(data: ReportData): string {
  if (!data.gate) return missingSection(data, "gate", "Regression gate");
  const g = data.gate.data;
  const failing = g.results.filter((r) => !r.passed || r.baseline === "failed");
  const rows = failing.map((r) => [
    `<code>${e(r.id)}</code>`,
    e(r.source),
    badge(caseOutcome(r), caseOutcome(r) === "fixed" ? "good" : "bad"),
    e(r.reason || "passes now"),
  ]);
  const baseline = g.baseline
    ? `against the baseline gate <code>${
      e(g.baseline.artifact)
    }</code> (${g.baseline.failed} failing there)`
    : "without a baseline gate (every failing case counts as new)";
  return section(
    "gate",
    "Regression gate",
    `${
      badge(g.verdict, tone(g.verdict))
    } ${g.cases} held-out cases from real failures, answered by ${
      e(g.version.models.join(", "))
    } and judged by ${e(g.judge.model)}, ${baseline}: ${g.passed} pass, ${g.failed} fail, ` +
      `<b>${g.regressions.length} regressions</b>, ${g.fixed.length} fixed. ${
        e(g.rule.charAt(0).toUpperCase() + g.rule.slice(1))
      }.`,
    chart("gate-cases", gateChart(g)) +
      (rows.length
        ? table(["case", "source", "outcome", "why"], rows)
        : `<p class="ok-note">Every case passes.</p>`) +
      (g.warnings.length
        ? `<p class="dim small">Read with: ${g.warnings.map(e).join("; ")}</p>`
        : ""),
  );
}

function agreementSection(data: ReportData): string {
  if (!data.agreement) return missingSection(data, "agreement", "Judge vs humans");
  const a = data.agreement.data;
  const m = a.metric;
  const rows = dimsIn(data, a.dimensions).map((d) => {
    const x = a.dimensions[d];
    return [
      `<b>${e(d)}</b>`,
      `${num(x.value)} ${interval(x.ci, false)}`,
      num(x.judge_vs_humans.exact.value),
      num(x.judge_vs_humans.adjacent.value),
      num(x.judge_vs_humans.qwk.value),
      num(x.judge_vs_humans.spearman.value),
      `${num(x.human_vs_human[m].value)} ${interval(x.human_vs_human[m].ci, false)}`,
      num(x.alpha.value),
      `${num(x.means.judge)} / ${num(x.means.humans)}`,
      badge(x.verdict, tone(x.verdict)),
    ];
  });
  const whose = data.agreement.same_run
    ? "this run's human sample"
    : `the human sample of ${
      runLabel(data.agreement.rated_release, data.agreement.rated_run ?? "another run")
    } (same judge and prompt; this run has no sample of its own)`;
  const dis = a.disagreements.slice(0, 6).map((x) => [
    `<code>${e(x.item_id)}</code>`,
    e(x.dimension),
    String(x.judge),
    `${num(x.human_mean, 1)} <span class="dim">(${
      e(Object.entries(x.humans).map(([r, v]) => `${r} ${v}`).join(", "))
    })</span>`,
    // a rationale may quote the query or response: anonymise it, then cut it
    e(truncate(
      anonymizeText(rationaleFor(x.rationale, x.dimension, data.scores.dimensions)).text,
      180,
    )),
  ]);
  return section(
    "agreement",
    "Judge vs humans",
    `${badge(a.verdict, tone(a.verdict))} From ${whose}: ${a.raters.length} raters (${
      e(a.raters.join(", "))
    }) on ${a.items.compared} items, ${a.items.overlap} rated by both. Primary metric ${
      e(m)
    } (judge vs the human mean), threshold ${a.threshold}; below it, recalibrate the judge prompt.`,
    chart("agreement", agreementChart(a)) +
      table(
        [
          "dimension",
          `judge–humans ${e(m)} [95% CI]`,
          "exact",
          "adjacent",
          "QWK",
          "Spearman",
          `human–human ${e(m)}`,
          "α (humans)",
          "mean judge / humans",
          "verdict",
        ],
        rows,
        "numeric",
      ) +
      (dis.length
        ? `<h3>Largest disagreements (${a.disagreements.length} items ≥ 2 points apart)</h3>` +
          table(["item", "dimension", "judge", "humans", "judge's rationale"], dis)
        : ""),
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

const CSS = `
:root{--fg:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f3f5f8;--card:#fff;--good:${VERDICT_COLORS.improved};--bad:${VERDICT_COLORS.regressed};--warn:#c77c02;--neutral:${
  VERDICT_COLORS["no detectable change"]
}}
*{box-sizing:border-box}
html{background:var(--bg)}
body{margin:0;color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.wrap{max-width:1180px;margin:0 auto;padding:0 24px}
header.top{background:#1f2933;color:#f5f7fa;padding:22px 0 0}
header.top h1{margin:2px 0 4px;font-size:26px;font-weight:650;letter-spacing:-.01em}
.kicker{text-transform:uppercase;letter-spacing:.12em;font-size:11px;color:#9aa5b1}
.sub{margin:0 0 14px;color:#cbd2d9}
.sub code{color:#f5f7fa}
nav{display:flex;gap:4px;flex-wrap:wrap}
nav a{color:#cbd2d9;text-decoration:none;padding:8px 12px;border-radius:6px 6px 0 0;font-size:13px}
nav a:hover{background:#323f4b;color:#fff}
main{padding:8px 0 40px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px 24px;margin:18px 0;box-shadow:0 1px 2px rgba(31,41,51,.04)}
section[data-state=missing]{border-style:dashed;background:#fbfcfd}
h2{margin:0 0 6px;font-size:19px;font-weight:650}
h3{margin:22px 0 8px;font-size:15px}
.lede{margin:0 0 16px;color:var(--muted);max-width:980px}
.dim{color:var(--muted)}
.small{font-size:12px}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f0f2f5;padding:1px 4px;border-radius:4px;white-space:nowrap}
header code{background:#323f4b}
pre{background:#1f2933;color:#e4e7eb;padding:12px 14px;border-radius:8px;overflow-x:auto;white-space:pre-wrap}
pre code{background:none;color:inherit;padding:0;white-space:pre-wrap}
.badge{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:600;color:#fff;background:var(--neutral);white-space:nowrap;vertical-align:1px}
.badge.good{background:var(--good)}.badge.bad{background:var(--bad)}.badge.warn{background:var(--warn)}.badge.muted{background:var(--neutral)}
.tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin:4px 0 18px}
.tile{border:1px solid var(--line);border-left:5px solid var(--neutral);border-radius:8px;padding:10px 14px}
.tile.good{border-left-color:var(--good)}.tile.bad{border-left-color:var(--bad)}.tile.warn{border-left-color:var(--warn)}
.tile-label{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
.tile-value{font-size:18px;font-weight:650;margin:2px 0}
.tile-detail{font-size:12px;color:var(--muted)}
.dim-tiles{display:grid;grid-template-columns:repeat(5,1fr);gap:12px;margin:0 0 14px}
.dim-tile{border:1px solid var(--line);border-radius:8px;padding:8px 14px;text-align:center}
.dim-tile .tile-value{font-size:24px}
dl.facts{display:grid;grid-template-columns:180px 1fr;gap:6px 18px;margin:0}
dl.facts dt{color:var(--muted);font-weight:600}
dl.facts dd{margin:0}
table{border-collapse:collapse;width:100%;margin:10px 0;font-size:13px}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600;border-bottom:2px solid var(--line)}
table.numeric td{font-variant-numeric:tabular-nums;white-space:nowrap}
tbody tr:hover{background:#f8f9fb}
.chart{margin:8px 0 4px;overflow-x:auto}
.chart figure{margin:0}
.chart figcaption{color:var(--muted);font-size:12px;margin-top:4px}
.grid3{display:grid;grid-template-columns:repeat(3,1fr);gap:14px 18px}
.grid2{display:grid;grid-template-columns:repeat(2,1fr);gap:10px 14px}
.levels{display:grid;grid-template-columns:1fr 1fr;gap:0 28px}
.level{min-width:0;overflow-x:auto}
.level .chart svg{max-width:100%;height:auto}
.level table td,table.verdicts td{white-space:normal}
ul.warnings{list-style:none;padding:0;margin:0}
ul.warnings li{padding:7px 0;border-bottom:1px solid var(--line)}
ul.warnings li:last-child{border-bottom:0}
ul.notes{margin:6px 0;padding-left:18px;color:var(--fg)}
.ok-note{color:var(--good);font-weight:600;margin:4px 0}
.missing-note p{margin:4px 0}
footer{color:var(--muted);font-size:12px;padding:0 0 40px}
`;

/**
 * The report page: pure, from the data of {@link loadReport} to HTML text.
 *
 * @param data What to show.
 * @returns One self-contained HTML document.
 *
 * @example
 * ```ts
 * import { writeArtifact } from "../artifacts.ts";
 * const out = await Deno.makeTempDir();
 * const judgment = (item_id: string, s: number) => JSON.stringify({ item_id, judge_model: "j",
 *   prompt_sha256: "a".repeat(64), scores: { correctness: s, relevance: 4, clarity: 4,
 *   calibration: 4, length: 4 }, rationale: "r", usage: { prompt_tokens: 1, completion_tokens: 1 },
 *   status: "ok" }) + "\n";
 * const run = await writeArtifact({ kind: "judge", out, command: "judge", params: {},
 *   files: { "judgments.jsonl": judgment("q1", 2) + judgment("q2", 5) },
 *   meta: { judge_model: "j", prompt_sha256: "a".repeat(64), models: ["m"] } });
 * import { loadReport } from "./load.ts";
 * import { buildReport } from "./html.ts";
 * const html = buildReport(await loadReport(run.dir));
 * if (!html.startsWith("<!DOCTYPE html>") || !html.includes('data-state="missing"')) throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export function buildReport(data: ReportData): string {
  const r = data.run;
  const title = `evalkit report: ${
    [r.release, r.models.join(", ")].filter(Boolean).join(" · ") ||
    r.artifact
  }`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="evalkit ${e(r.kit.version)}">
<title>${e(title)}</title>
<style>${CSS}</style>
</head>
<body>
${header(data)}
<main class="wrap">
${summarySection(data)}
${warningsSection(data)}
${scoresSection(data)}
${comparisonSection(data)}
${gateSection(data)}
${agreementSection(data)}
${evalVsProdSection(data)}
</main>
<footer class="wrap">Made by evalkit ${e(r.kit.version)} from ${
    e(
      [
        r.artifact,
        data.comparison?.artifact,
        data.gate?.artifact,
        data.agreement?.artifact,
        data
          .correlation?.artifact,
        data.validity?.artifact,
      ].filter(Boolean).join(", "),
    )
  }. Every figure is per dimension; no figure combines dimensions.</footer>
</body>
</html>
`;
}
