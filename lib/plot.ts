/**
 * Plot helpers: chart builders return Observable Plot options (data in,
 * options out); {@link renderSvg} renders any of them to an SVG string with
 * linkedom's document, so the same chart shows inline in a notebook
 * (`Deno.jupyter.html`) and as a file in the report.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { anonymizeItem } from "./sample/anonymize.ts";
import type { ProdLogRecord } from "./schemas.ts";

/** Observable Plot's options for `Plot.plot`. */
export type PlotOptions = Plot.PlotOptions;

/**
 * Render Plot options to an SVG (or, with a legend, a `<figure>`) string.
 *
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { renderSvg } from "./plot.ts";
 * const svg = renderSvg({ marks: [Plot.dot([{ x: 1, y: 2 }], { x: "x", y: "y" })] });
 * if (!svg.startsWith("<svg")) throw new Error(svg.slice(0, 40));
 * ```
 */
export function renderSvg(options: PlotOptions): string {
  const { document } = parseHTML("<!DOCTYPE html><html><body></body></html>") as unknown as {
    document: unknown;
  };
  const node = Plot.plot({ ...options, document } as unknown as PlotOptions) as unknown as {
    outerHTML: string;
  };
  return node.outerHTML;
}

/**
 * Escape text for HTML content and attribute values.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./plot.ts";
 * if (escapeHtml('<a href="x">&</a>') !== "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;") throw new Error(escapeHtml('<a href="x">&</a>'));
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

/** Options for {@link htmlTable}. */
export interface HtmlTableOptions {
  /** Columns to show, in order. @default the first row's keys */
  columns?: string[];
  /** A caption above the table. */
  caption?: string;
  /** Show at most this many rows. @default 50 */
  maxRows?: number;
  /** Cut cell text longer than this. @default 160 */
  maxChars?: number;
  /**
   * Anonymise the text cells, one numbering per row, before they are cut
   * ({@link anonymizeItem}): a table of log text never shows PII. Pass `false`
   * only for tables of figures you built yourself.
   * @default true
   */
  anonymize?: boolean;
}

/**
 * Rows as an HTML table, every cell escaped (objects shown as JSON) and, by
 * default, anonymised.
 *
 * @example
 * ```ts
 * import { htmlTable } from "./plot.ts";
 * const html = htmlTable([{ q: "<b>hi</b> from ana@example.com" }]);
 * if (!html.includes("&lt;b&gt;hi") || !html.includes("&lt;EMAIL_1&gt;")) throw new Error(html);
 * ```
 */
export function htmlTable(
  rows: readonly Record<string, unknown>[],
  options: HtmlTableOptions = {},
): string {
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  const maxRows = options.maxRows ?? 50;
  const maxChars = options.maxChars ?? 160;
  const text = (v: unknown) =>
    v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  const cut = (t: string) => escapeHtml(t.length > maxChars ? t.slice(0, maxChars - 1) + "…" : t);
  const row = (r: Record<string, unknown>) => {
    const cells = columns.map((c) => text(r[c]));
    // one item's numbering across its cells, as anonymizeItem gives an item's fields
    const shown = options.anonymize === false ? cells : anonymizeItem({
      messages: cells.map((content) => ({ content })),
    }).item.messages.map((m) => m.content);
    return `<tr>${shown.map((t) => `<td>${cut(t)}</td>`).join("")}</tr>`;
  };
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = rows.slice(0, maxRows).map(row).join("\n");
  const more = rows.length > maxRows
    ? `<tfoot><tr><td colspan="${columns.length}">… ${
      rows.length - maxRows
    } more rows</td></tr></tfoot>`
    : "";
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "";
  return `<table>${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody>${more}</table>`;
}

/**
 * Prod log volume per day, stacked by topic: Plot options.
 *
 * @example
 * ```ts
 * import { dailyVolumeChart, renderSvg } from "./plot.ts";
 * const log = (ts: string, topic: string) => ({ id: ts, ts, query: "q", topic });
 * const svg = renderSvg(dailyVolumeChart([log("2026-06-01T10:00:00Z", "billing"), log("2026-06-02T10:00:00Z", "other")] as never));
 * if (!svg.includes("<svg")) throw new Error();
 * ```
 */
export function dailyVolumeChart(logs: readonly ProdLogRecord[]): PlotOptions {
  const counts = new Map<string, number>();
  for (const log of logs) {
    const key = `${log.ts.slice(0, 10)}\u0000${log.topic ?? "(none)"}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const data = [...counts].map(([key, n]) => {
    const [day, topic] = key.split("\u0000");
    return { day: new Date(day + "T00:00:00Z"), topic, n };
  }).sort((a, b) => a.day.getTime() - b.day.getTime() || a.topic.localeCompare(b.topic));
  return {
    caption: "Production queries per day, by topic",
    width: 720,
    height: 260,
    color: { legend: true },
    y: { label: "queries", grid: true },
    x: { label: null },
    marks: [
      Plot.rectY(data, { x: "day", interval: "day", y: "n", fill: "topic" }),
      Plot.ruleY([0]),
    ],
  };
}

/**
 * Shares per category as horizontal bars, e.g. the prod topic mix: Plot options.
 *
 * @example
 * ```ts
 * import { renderSvg, shareChart } from "./plot.ts";
 * if (!renderSvg(shareChart({ billing: 0.6, other: 0.4 })).includes("<svg")) throw new Error();
 * ```
 */
export function shareChart(
  shares: Record<string, number>,
  title = "Share",
): PlotOptions {
  const data = Object.entries(shares).map(([name, share]) => ({ name, share }));
  return {
    caption: title,
    width: 520,
    height: 40 + 28 * data.length,
    marginLeft: 90,
    x: { label: "share", percent: true, domain: [0, 100] },
    y: { label: null },
    marks: [
      Plot.barX(data, { x: "share", y: "name", sort: { y: "-x" }, fill: "steelblue" }),
      Plot.text(data, {
        x: "share",
        y: "name",
        text: (d: { share: number }) => `${(d.share * 100).toFixed(1)}%`,
        dx: 18,
      }),
      Plot.ruleX([0]),
    ],
  };
}

/**
 * Prod mix vs eval mix per stratum, side by side: Plot options.
 *
 * @param mix The `mix` of a sample summary (`prod` and `eval` shares).
 *
 * @example
 * ```ts
 * import { mixChart, renderSvg } from "./plot.ts";
 * const svg = renderSvg(mixChart({ prod: { billing: 0.6, other: 0.4 }, eval: { billing: 0.5, other: 0.5 } }));
 * if (!svg.includes("<svg")) throw new Error();
 * ```
 */
export function mixChart(
  mix: { prod: Record<string, number>; eval: Record<string, number> },
): PlotOptions {
  const data = Object.keys(mix.prod).flatMap((stratum) => [
    { stratum, mix: "prod", share: mix.prod[stratum] ?? 0 },
    { stratum, mix: "eval", share: mix.eval[stratum] ?? 0 },
  ]);
  return {
    caption: "Prod mix vs eval-set mix",
    width: 560,
    height: 260,
    color: { legend: true, domain: ["prod", "eval"], range: ["#9aa5b1", "steelblue"] },
    fx: { label: null },
    x: { axis: null },
    y: { label: "share", percent: true, grid: true },
    marks: [
      Plot.barY(data, { fx: "stratum", x: "mix", y: "share", fill: "mix" }),
      Plot.ruleY([0]),
    ],
  };
}
