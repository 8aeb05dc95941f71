/**
 * The report's "Eval vs prod" section: does the eval predict production? Both levels of
 * evidence side by side — the item level (each prod answer's score against the feedback
 * its user gave: the AUC forest plot and the thumbs-down rate by score) and the release
 * level (eval deltas against prod deltas: the ranking and the scatters) — and one verdict
 * per dimension from both ({@link evalProdRows}), never claiming more than an interval.
 *
 * @module
 */
import { correlationChart, correlationTableRows, deltaScatterChart } from "../correlate/charts.ts";
import { aucForestChart, downRateChart } from "../validity/charts.ts";
import {
  type EvalProdRow,
  evalProdRows,
  NO_EFFECT_HIGH,
  NO_EFFECT_LOW,
} from "../validity/verdict.ts";
import { badge, chart, e, missingNote, section, table, tone } from "./html.ts";
import type { ReportData } from "./load.ts";

const f2 = (x: number) => (x < 0 ? "−" : "") + Math.abs(x).toFixed(2);
const withCi = (v: number | null, ci: [number, number] | null | undefined) =>
  v === null ? "n/a" : ci ? `${f2(v)} [${f2(ci[0])}, ${f2(ci[1])}]` : f2(v);

/** The verdict table: one row per dimension, both levels and the verdict they give. */
function verdictTable(rows: readonly EvalProdRow[], metric: string): string {
  return table(
    [
      "dimension",
      `release level: Pearson r with ${e(metric)} Δ [95% CI]`,
      "item level: AUC [95% CI]",
      "verdict",
    ],
    rows.map((r) => [
      `<b>${e(r.dimension)}</b>`,
      r.release
        ? `${
          e(withCi(r.release.pearson, r.release.pearson_ci))
        } <span class="dim">(${r.release.n} pairs)</span>`
        : '<span class="dim">no correlation</span>',
      r.item
        ? `${e(withCi(r.item.auc, r.item.ci))} <span class="dim">(${r.item.n} answers)</span>`
        : '<span class="dim">no validity check</span>',
      `${badge(r.judgement.label, tone(r.judgement.verdict))}<br><span class="dim small">${
        e(r.judgement.because)
      }</span>`,
    ]),
    "numeric verdicts",
  );
}

function itemLevel(data: ReportData): string {
  if (!data.validity) return missingNote(data, "validity");
  const v = data.validity.data;
  const whose = data.validity.same_run
    ? "this run"
    : `<code>${e(data.validity.judged_run)}</code>, the same judge on prod answers`;
  const rates = Object.keys(v.dimensions).map((d) => chart(`down-rate-${d}`, downRateChart(v, d)))
    .join("");
  return `<p class="dim small">From <code>${e(data.validity.artifact)}</code> (${whose}): ` +
    `${v.n_items} judged prod answers, ${v.n_down + v.n_up} with feedback (${v.n_down} down, ` +
    `${v.n_up} up), ${v.n_none} without — answers without feedback are never read as ` +
    `"not down".</p>` +
    chart("auc-forest", aucForestChart(v)) +
    `<div class="grid2">${rates}</div>` +
    (v.notes.length ? `<p class="dim small">${v.notes.map(e).join("; ")}</p>` : "");
}

function releaseLevel(data: ReportData, metric: string): string {
  if (!data.correlation) return missingNote(data, "correlation");
  const c = data.correlation.data;
  const scatters = Object.keys(c.dimensions).map((d) =>
    chart(`delta-scatter-${d}`, deltaScatterChart(c, d as never, { metric, width: 300 }))
  ).join("");
  const rows = correlationTableRows(c).map((r) => [
    e(r.metric),
    String(r.rank),
    `<b>${e(r.dimension)}</b>`,
    e(r.pearson),
    e(r.spearman),
    e(r.p_value),
    e(r.directional_agreement),
    badge(r.verdict_label, tone(r.verdict)),
  ]);
  const part = data.correlation.includes_run
    ? "This run is one of its releases."
    : "This run is not among its releases.";
  return `<p class="dim small">From <code>${e(data.correlation.artifact)}</code>: ` +
    `${c.pairs.length} consecutive release pairs up to ${e(c.as_of)}. ${part}</p>` +
    chart("correlation-ranking", correlationChart(c, { metric })) +
    `<div class="grid2">${scatters}</div>` +
    table(
      [
        "metric",
        "rank",
        "dimension",
        "Pearson [95% CI]",
        "Spearman [95% CI]",
        "p",
        "same direction",
        "release-level verdict",
      ],
      rows,
      "numeric",
    ) +
    (c.warnings.length
      ? `<p class="dim small">Read with: ${c.warnings.map(e).join("; ")}</p>`
      : "");
}

/**
 * The report's at-a-glance tile for eval vs prod: the dimensions that predict prod at
 * either level (escaped HTML in `value` and `detail`).
 *
 * @param data The report's data.
 * @returns The tile's label, value, detail and tone.
 */
export function evalProdTile(
  data: ReportData,
): { label: string; value: string; detail: string; tone: string } {
  const c = data.correlation?.data ?? null;
  const v = data.validity?.data ?? null;
  if (!c && !v) {
    return {
      label: "eval vs prod",
      value: "none",
      detail: "no correlation, no validity check",
      tone: "muted",
    };
  }
  const metric = c ? (Object.keys(c.metrics)[0] ?? "thumbs_down_rate") : "thumbs_down_rate";
  const rows = evalProdRows(c?.dimensions ?? null, v?.dimensions ?? null, metric);
  const predicts = rows.filter((r) => r.judgement.verdict === "predicts prod").map((r) =>
    r.dimension
  );
  const against = rows.filter((r) => r.judgement.verdict === "moves against prod");
  const detail = [
    c ? `${c.pairs.length} release pairs` : "",
    v ? `${v.n_down + v.n_up} answers with feedback` : "",
  ].filter(Boolean).join("; ");
  return {
    label: c ? `eval vs prod, ${c.quarter}` : "eval vs prod",
    value: predicts.length ? `predicts prod: ${e(predicts.join(", "))}` : "not enough evidence",
    detail: e(detail),
    tone: against.length ? "bad" : predicts.length ? "good" : "muted",
  };
}

/**
 * The "Eval vs prod" section (id `correlation`): present when either level is.
 *
 * @param data The report's data.
 * @returns The section's HTML.
 */
export function evalVsProdSection(data: ReportData): string {
  const c = data.correlation?.data ?? null;
  const metric = c ? (Object.keys(c.metrics)[0] ?? "thumbs_down_rate") : "thumbs_down_rate";
  const rows = evalProdRows(c?.dimensions ?? null, data.validity?.data.dimensions ?? null, metric);
  const lede = "Does the eval predict production? Two levels of evidence. <b>Item level</b>: " +
    "for prod answers the judge scored, does each dimension's score predict the thumbs-down " +
    "their users gave (AUC: the chance a thumbed-up answer outscores a thumbed-down one; 0.5 " +
    "is no signal)? <b>Release level</b>: did eval-score changes between releases move with " +
    `${
      e(metric)
    }? A dimension <i>predicts prod</i> when either interval clears its null (0.5, 0); ` +
    `it <i>does not predict prod</i> only when the item-level interval lies inside ` +
    `[${NO_EFFECT_LOW}, ${NO_EFFECT_HIGH}]; anything else is <i>not enough evidence</i>, with ` +
    "its n — a wide interval from a handful of release pairs shows nothing either way.";
  const title = c ? `Eval vs prod, ${c.quarter}` : "Eval vs prod";
  if (!data.correlation && !data.validity) {
    return section(
      "correlation",
      title,
      "",
      missingNote(data, "correlation") + missingNote(data, "validity"),
      "missing",
    );
  }
  return section(
    "correlation",
    title,
    lede,
    verdictTable(rows, metric) +
      `<div class="levels"><div class="level" data-level="item"><h3>Item level: ` +
      `each answer's score against its user's feedback</h3>${itemLevel(data)}</div>` +
      `<div class="level" data-level="release"><h3>Release level: eval Δ against prod Δ</h3>` +
      `${releaseLevel(data, metric)}</div></div>`,
  );
}
