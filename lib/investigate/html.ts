/**
 * HTML views of a dimension investigation for notebooks: the responses of two
 * releases side by side for the items that moved most. Every piece of text
 * from data is escaped.
 *
 * @module
 */
import { escapeHtml } from "../plot.ts";
import { anonymizeItem } from "../sample/anonymize.ts";
import type { Mover } from "./investigate.ts";

/** A mover's query, both responses and both rationales anonymised with one numbering. */
function anonymizedMover(m: Mover): Mover {
  const fields = [m.query, m.from_response, m.to_response, m.from_rationale, m.to_rationale];
  const shown =
    anonymizeItem({ messages: fields.map((f) => ({ content: f ?? "" })) }).item.messages;
  const at = (i: number) => (fields[i] === null ? null : shown[i].content);
  return {
    ...m,
    query: at(0),
    from_response: at(1),
    to_response: at(2),
    from_rationale: at(3) ?? m.from_rationale,
    to_rationale: at(4) ?? m.to_rationale,
  };
}

const STYLE = `<style>
.ek-sbs{font:13px/1.45 system-ui,sans-serif;color:#1f2933}
.ek-sbs .item{border:1px solid #e4e7eb;border-radius:8px;margin:10px 0;padding:10px 12px}
.ek-sbs .head{font-weight:600;margin-bottom:4px}
.ek-sbs .query{color:#52606d;margin-bottom:8px;white-space:pre-wrap}
.ek-sbs .cols{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.ek-sbs .col{background:#f5f7fa;border-radius:6px;padding:8px 10px}
.ek-sbs .label{font-size:12px;font-weight:600;margin-bottom:4px}
.ek-sbs .down{color:#d73027}.ek-sbs .up{color:#1a9850}
.ek-sbs .response{white-space:pre-wrap}
.ek-sbs .why{color:#52606d;font-size:12px;margin-top:6px;font-style:italic}
</style>`;

/** Options for {@link sideBySideHtml}. */
export interface SideBySideOptions {
  /** The earlier release's label. */
  from: string;
  /** The later release's label. */
  to: string;
  /** The dimension the scores are on. */
  dimension: string;
  /** Cut responses longer than this many characters. @default 1200 */
  maxChars?: number;
}

/**
 * The items that moved, each with its query and both releases' responses side by side,
 * the scores on the dimension and the judge's rationale for each.
 *
 * @example
 * ```ts
 * import { sideBySideHtml } from "./html.ts";
 * const html = sideBySideHtml([{ item_id: "q1", stratum: "billing", query: "hi", from_score: 5,
 *   to_score: 2, change: -3, from_response: "ok", to_response: "<script>x</script>",
 *   from_rationale: "", to_rationale: "" }], { from: "r08", to: "r09", dimension: "correctness" });
 * if (html.includes("<script>") || !html.includes("&lt;script&gt;")) throw new Error(html);
 * ```
 */
export function sideBySideHtml(movers: readonly Mover[], options: SideBySideOptions): string {
  const max = options.maxChars ?? 1200;
  const cut = (t: string | null) =>
    t === null ? "(response not available)" : t.length > max ? t.slice(0, max - 1) + "…" : t;
  const e = escapeHtml;
  if (movers.length === 0) {
    return `<p>No item's ${e(options.dimension)} score moved between ${e(options.from)} and ${
      e(options.to)
    }.</p>`;
  }
  const items = movers.map((mover) => {
    const m = anonymizedMover(mover);
    const dir = m.change < 0 ? "down" : "up";
    return `<div class="item"><div class="head">${e(m.item_id)}${
      m.stratum ? ` · ${e(m.stratum)}` : ""
    } · ${e(options.dimension)} <span class="${dir}">${m.from_score} → ${m.to_score}</span></div>` +
      `<div class="query">${e(m.query ?? "(query not available)")}</div><div class="cols">` +
      `<div class="col"><div class="label">${e(options.from)}: ${m.from_score}</div>` +
      `<div class="response">${e(cut(m.from_response))}</div>` +
      `<div class="why">${e(m.from_rationale)}</div></div>` +
      `<div class="col"><div class="label ${dir}">${e(options.to)}: ${m.to_score}</div>` +
      `<div class="response">${e(cut(m.to_response))}</div>` +
      `<div class="why">${e(m.to_rationale)}</div></div></div></div>`;
  }).join("");
  return `${STYLE}<div class="ek-sbs">${items}</div>`;
}
