/**
 * The HTML of the rating page that `evalkit review serve` serves: one
 * self-contained document (inline CSS and JS, each under the response's CSP
 * nonce; no external resource of any kind) showing one item at a time.
 *
 * Safe by construction: every piece of content (query turns, reference facts,
 * the response, item ids, saved notes) is HTML-escaped on the server before it
 * reaches the document, and the response's Markdown is rendered from the
 * escaped text by {@link renderMarkdown}, which only ever adds a fixed set of
 * attribute-free tags. The page's script never uses `innerHTML`: it reads the
 * escaped document and sets `textContent`. A `<script>` or an `onerror`
 * attribute inside a response therefore shows as text and never runs (and the
 * Content-Security-Policy would block it if it did reach the DOM).
 *
 * Blind: the page carries no judge score, rationale, band, judge model or
 * other rater's rating; only this rater's own saved ratings, so an earlier
 * item can be edited.
 *
 * Keyboard-first: `1`–`5` score the focused dimension and move to the next,
 * `↑`/`↓` or Tab move between dimensions, `←`/`→` adjust, Enter saves (in the
 * notes field too; Shift+Enter is a new line), `[` and `]` go to the previous
 * and next item.
 *
 * @module
 */
import { inputError } from "../_errors.ts";
import { displayTurns } from "../messages.ts";
import type { JudgePrompt } from "../judge/prompt.ts";
import { escapeHtml } from "../plot.ts";
import { DIMENSIONS, type EvalItem } from "../schemas.ts";
import { DEFAULT_SCALE, type Scale, scaleLabels } from "../dimensions.ts";
import type { RubricDimension } from "../rubric.ts";

/** A score 1–5 (on the default scale). */
export type ScoreValue = 1 | 2 | 3 | 4 | 5;

/** One dimension of the rubric as the page shows it: its question and an anchor per score. */
export interface DimensionRubric {
  dimension: string;
  /** The question the dimension answers, e.g. "are the facts and instructions in the answer right?". */
  question: string;
  /** The anchor text of every score of the scale; unanchored scores lie between their neighbours. */
  anchors: Record<number, string>;
  /** A note such as "10 is the right amount; longer is not better". */
  note?: string;
}

/** A rating this rater saved earlier: a score per dimension, and notes. */
export type SavedRating = Record<string, number | string | null> & { notes: string | null };

/** One item on the page. */
export interface PageItem {
  id: string;
  item: Pick<EvalItem, "query" | "messages" | "reference">;
  /** The answer under review. */
  response: string;
  /** This rater's latest saved rating of the item, or null. */
  rating: SavedRating | null;
}

/** Everything {@link reviewPageHtml} renders. */
export interface ReviewPage {
  rater: string;
  /** The items, in the rater's order. */
  items: readonly PageItem[];
  rubric: readonly DimensionRubric[];
  /** The CSP nonce of this response (fresh per response). */
  nonce: string;
  /** The session token the page's script sends with every API call. */
  token: string;
  /** The longest note accepted. @default 10000 */
  maxNotes?: number;
  /** The scale the buttons and keys offer. @default 1–5 */
  scale?: Scale;
}

/** Inline Markdown of one line: code spans, then bold, each over escaped text. */
function inline(raw: string): string {
  return raw.split(/(`[^`]+`)/).map((part) =>
    part.length > 2 && part.startsWith("`") && part.endsWith("`")
      ? `<code>${escapeHtml(part.slice(1, -1))}</code>`
      : escapeHtml(part)
        .replace(/\*\*(\S(?:[^*]*?\S)?)\*\*/g, "<strong>$1</strong>")
        .replace(/__(\S(?:[^_]*?\S)?)__/g, "<strong>$1</strong>")
  ).join("");
}

/**
 * Render a small, safe subset of Markdown to HTML: paragraphs (single newlines
 * kept as line breaks), ATX headings (`#` becomes `<h3>`, so a response never
 * outranks the page's own headings), `-`/`*`/`+` and numbered lists, fenced code
 * blocks, inline code and bold. Everything else (links, images, raw HTML) stays
 * literal text.
 *
 * The text is escaped first: the output holds no tag or attribute that the input
 * chose, only `p br h3–h6 ul ol li pre code strong` and an ordered list's numeric
 * `start`.
 *
 * @param text Markdown from an untrusted source.
 * @returns HTML safe to place in an element.
 *
 * @example
 * ```ts
 * import { renderMarkdown } from "./page.ts";
 * const html = renderMarkdown("**Steps**\n\n1. Open <Settings>\n2. `rm -rf`\n\n<script>x()</script>");
 * if (html !== "<p><strong>Steps</strong></p>\n<ol><li>Open &lt;Settings&gt;</li><li><code>rm -rf</code></li></ol>\n<p>&lt;script&gt;x()&lt;/script&gt;</p>") {
 *   throw new Error(html);
 * }
 * ```
 */
export function renderMarkdown(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: { type: "ul" | "ol"; start: number; items: string[] } | null = null;
  const flushParagraph = () => {
    if (paragraph.length > 0) out.push(`<p>${paragraph.map(inline).join("<br>")}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    if (list) {
      const start = list.type === "ol" && list.start !== 1 ? ` start="${list.start}"` : "";
      out.push(
        `<${list.type}${start}>${
          list.items.map((i) => `<li>${inline(i)}</li>`).join("")
        }</${list.type}>`,
      );
    }
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      flushParagraph();
      flushList();
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trimStart().startsWith(fence[1])) code.push(lines[i++]);
      out.push(`<pre><code>${escapeHtml(code.join("\n"))}</code></pre>`);
      continue;
    }
    if (line.trim() === "") {
      flushParagraph();
      flushList();
      continue;
    }
    const heading = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (heading) {
      flushParagraph();
      flushList();
      const level = Math.min(6, heading[1].length + 2);
      out.push(`<h${level}>${inline(heading[2])}</h${level}>`);
      continue;
    }
    const bullet = /^ {0,3}[-*+][ \t]+(.*)$/.exec(line);
    const numbered = /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/.exec(line);
    if (bullet || numbered) {
      flushParagraph();
      const type = bullet ? "ul" : "ol";
      if (!list || list.type !== type) {
        flushList();
        list = { type, start: numbered ? Number(numbered[1]) : 1, items: [] };
      }
      list.items.push(bullet ? bullet[1] : numbered![2]);
      continue;
    }
    if (list && /^[ \t]{2,}\S/.test(line)) {
      list.items[list.items.length - 1] += " " + line.trim();
      continue;
    }
    flushList();
    paragraph.push(line.trim());
  }
  flushParagraph();
  flushList();
  return out.join("\n");
}

/**
 * The rubric's anchors, read from a judge prompt's system message: for each
 * dimension a line `name: question` followed by `- 5: …`, `- 3: …`, `- 1: …`
 * (the bundled `rubric-v1.md` has this shape). Scores 2 and 4 get "between"
 * texts naming their neighbours' anchors. Humans and the judge so read the same
 * rubric, written once.
 *
 * @param prompt A loaded judge prompt (its system message and path).
 * @returns The five dimensions in report order.
 * @throws {TypeError} `Cannot read "F": ...` naming each dimension without its three anchors.
 *
 * @example
 * ```ts
 * import { rubricAnchors } from "./page.ts";
 * import { loadPrompt } from "../judge/prompt.ts";
 * const rubric = rubricAnchors(await loadPrompt());
 * if (rubric.length !== 5 || !rubric[4].anchors[5].startsWith("As long as needed")) throw new Error();
 * ```
 */
export function rubricAnchors(
  prompt: Pick<JudgePrompt, "system" | "path"> & Partial<Pick<JudgePrompt, "rubric">>,
): DimensionRubric[] {
  const declared = prompt.rubric?.declared;
  if (declared) return declaredAnchors(declared, prompt.rubric!.scale);
  const lines = prompt.system.split(/\r?\n/);
  const problems: string[] = [];
  const rubric: DimensionRubric[] = [];
  for (const dimension of DIMENSIONS) {
    const at = lines.findIndex((l) => l.startsWith(`${dimension}: `));
    const found: Partial<Record<ScoreValue, string>> = {};
    if (at >= 0) {
      for (let i = at + 1; i < lines.length; i++) {
        const m = /^- ([1-5]): (.+)$/.exec(lines[i].trim());
        if (!m) break;
        found[Number(m[1]) as ScoreValue] = m[2].trim();
      }
    }
    if (at < 0 || !found[1] || !found[3] || !found[5]) {
      problems.push(
        `the system section has no "${dimension}: question" line followed by "- 5:", "- 3:" and "- 1:" anchors`,
      );
      continue;
    }
    rubric.push({
      dimension,
      question: lines[at].slice(dimension.length + 2).trim(),
      anchors: {
        1: found[1],
        2: found[2] ?? `Between 1 and 3. 1: ${found[1]} 3: ${found[3]}`,
        3: found[3],
        4: found[4] ?? `Between 3 and 5. 3: ${found[3]} 5: ${found[5]}`,
        5: found[5],
      },
    });
  }
  if (problems.length > 0) {
    throw inputError(problems.map((problem) => ({
      file: prompt.path,
      line: 0,
      problem,
      kind: "type",
    })));
  }
  return rubric;
}

/**
 * The page's rubric from a rubric's declared dimensions (front matter, or a judge run's
 * `meta.rubric`): every score of the scale gets its anchor, or a "between" text naming
 * the nearest anchors below and above.
 *
 * @example
 * ```ts
 * import { declaredAnchors } from "./page.ts";
 * const [d] = declaredAnchors([{ name: "tone", question: "Is it kind?",
 *   anchors: { 10: "Warm.", 1: "Rude." } }], { min: 1, max: 10 });
 * if (d.anchors[10] !== "Warm." || !d.anchors[5].startsWith("Between 1 and 10")) throw new Error();
 * ```
 */
export function declaredAnchors(
  declared: readonly RubricDimension[],
  scale: Scale,
): DimensionRubric[] {
  return declared.map((d) => {
    const given = Object.keys(d.anchors).map(Number).sort((a, b) => a - b);
    const anchors: Record<number, string> = {};
    for (const v of scaleLabels(scale)) {
      if (d.anchors[v] !== undefined) {
        anchors[v] = d.anchors[v];
        continue;
      }
      const below = given.filter((g) => g < v).at(-1);
      const above = given.find((g) => g > v);
      anchors[v] = below !== undefined && above !== undefined
        ? `Between ${below} and ${above}. ${below}: ${d.anchors[below]} ${above}: ${
          d.anchors[above]
        }`
        : `${v} (no anchor)`;
    }
    return {
      dimension: d.name,
      question: d.question,
      anchors,
      ...(d.note ? { note: d.note } : {}),
    };
  });
}

function conversationHtml(item: PageItem["item"]): string {
  return displayTurns(item).map((t) => {
    const body = t.role === "assistant"
      ? `<div class="md">${renderMarkdown(t.text)}</div>`
      : `<div class="text">${escapeHtml(t.text)}</div>`;
    return `<div class="turn ${t.role}"><div class="role">${escapeHtml(t.role)}</div>${body}</div>`;
  }).join("\n");
}

function itemHtml(p: PageItem, index: number): string {
  const rating = p.rating ? ` data-rating="${escapeHtml(JSON.stringify(p.rating))}"` : "";
  const reference = p.item.reference && p.item.reference.length > 0
    ? `<section class="reference"><h2>Reference facts <small>what a correct answer states</small></h2><ul>${
      p.item.reference.map((f) => `<li>${escapeHtml(f)}</li>`).join("")
    }</ul></section>`
    : "";
  return `<article class="item" data-id="${escapeHtml(p.id)}"${rating} hidden>
<p class="item-id">Item ${index + 1} · <code>${escapeHtml(p.id)}</code></p>
<section class="conversation"><h2>Conversation <small>the last user turn is the question</small></h2>
${conversationHtml(p.item)}
</section>
${reference}
<section class="response"><h2>Answer to rate</h2><div class="md">${
    renderMarkdown(p.response)
  }</div></section>
</article>`;
}

function dimensionHtml(d: DimensionRubric, scale: Scale): string {
  const id = `dim-${d.dimension}`;
  const values = scaleLabels(scale);
  const buttons = values.map((v) =>
    `<button type="button" role="radio" aria-checked="false" tabindex="-1" data-value="${v}" title="${
      escapeHtml(`${v}: ${d.anchors[v]}`)
    }">${v}</button>`
  ).join("");
  const whole = values.filter((v) => !d.anchors[v]?.startsWith("Between ")).reverse()
    .map((v) => `${v}: ${d.anchors[v]}`).join("\n");
  const note = d.note ? ` <small class="note">(${escapeHtml(d.note)})</small>` : "";
  return `<div class="dim" role="radiogroup" tabindex="0" data-dim="${d.dimension}" aria-labelledby="${id}">
<span class="dim-label" id="${id}" title="${
    escapeHtml(`${d.question}\n${whole}`)
  }"><b>${d.dimension}</b> <small>${escapeHtml(d.question)}</small>${note}</span>
<span class="choices">${buttons}</span>
<span class="anchor"></span>
</div>`;
}

const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6472; --line: #d9dde4; --accent: #2457c5; --ok: #1c7a3e; --bad: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
header { position: sticky; top: 0; z-index: 1; background: #fff; border-bottom: 1px solid var(--line); padding: .6rem 1.2rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
header h1 { font-size: 1.05rem; margin: 0; flex: 1 1 auto; }
header .rater { color: var(--muted); font-weight: normal; }
progress { width: 14rem; height: .8rem; accent-color: var(--accent); }
main { display: grid; grid-template-columns: minmax(0, 1fr) 26rem; gap: 1.2rem; max-width: 84rem; margin: 0 auto; padding: 1rem 1.2rem 3rem; align-items: start; }
@media (max-width: 62rem) { main { grid-template-columns: minmax(0, 1fr); } #controls { position: static; max-height: none; } }
.item-id { color: var(--muted); margin: .2rem 0 .6rem; font-size: .85rem; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .6rem 1rem; margin: 0 0 .8rem; }
section h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: .2rem 0 .4rem; }
section h2 small { text-transform: none; letter-spacing: 0; font-weight: normal; }
.turn { display: grid; grid-template-columns: 5.5rem minmax(0, 1fr); gap: .6rem; padding: .35rem 0; border-top: 1px dashed var(--line); }
.turn:first-of-type { border-top: 0; }
.role { color: var(--muted); font-size: .85rem; padding-top: .1rem; }
.turn.assistant .role { color: #6a4fb3; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.md { overflow-wrap: anywhere; }
.md p { margin: .3rem 0; }
.md pre { background: #f1f3f6; padding: .5rem; overflow-x: auto; }
.md code { background: #f1f3f6; padding: 0 .2rem; border-radius: 3px; }
.response { border-color: #9fb3e3; box-shadow: 0 0 0 1px #dfe7f8; }
#controls { position: sticky; top: 4rem; max-height: calc(100vh - 5rem); overflow-y: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .5rem .7rem; }
.dim { padding: .35rem .5rem; border-radius: 6px; outline: none; }
.dim:focus { background: #eef3ff; box-shadow: inset 0 0 0 2px var(--accent); }
.dim.missing { box-shadow: inset 0 0 0 2px var(--bad); }
.dim-label { display: block; }
.dim-label small { color: var(--muted); font-size: .78rem; }
.choices { display: flex; gap: .3rem; margin: .25rem 0 .1rem; }
.choices button { width: 2.4rem; height: 2rem; border: 1px solid var(--line); background: #fff; border-radius: 6px; font: inherit; cursor: pointer; }
.choices button[aria-checked="true"] { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 600; }
.anchor { display: block; color: var(--muted); font-size: .78rem; line-height: 1.3; min-height: 1em; }
.notes { padding: .4rem .5rem; }
.notes small { color: var(--muted); }
textarea { font: inherit; width: 100%; min-height: 2.6rem; border: 1px solid var(--line); border-radius: 6px; padding: .3rem .5rem; margin-top: .2rem; }
.actions { display: flex; gap: .4rem; align-items: center; padding: .3rem .5rem; flex-wrap: wrap; }
.actions button { font: inherit; padding: .3rem .7rem; border-radius: 6px; border: 1px solid var(--line); background: #fff; cursor: pointer; }
#save { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 600; }
#save kbd { color: var(--ink); }
#save:disabled { opacity: .6; }
#position { color: var(--muted); font-size: .85rem; padding: 0 .5rem; margin: .2rem 0; }
#status { min-height: 1.5rem; margin: .3rem .5rem; font-weight: 600; }
#status.ok { color: var(--ok); }
#status.error { color: var(--bad); }
#done { background: #e8f5ec; border: 1px solid #b7dfc4; border-radius: 8px; padding: .6rem 1rem; margin-top: 0; }
.keys { color: var(--muted); font-size: .78rem; padding: 0 .5rem; margin: .3rem 0; }
kbd { border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 .3rem; background: #fff; font-size: .8rem; }
`;

/** The page's script: reads the escaped document, sets only `textContent` and attributes. */
const SCRIPT = String.raw`"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const token = document.body.dataset.token;
  const items = [...document.querySelectorAll("article.item")];
  const dims = [...document.querySelectorAll(".dim")];
  const names = dims.map((d) => d.dataset.dim);
  const notes = $("notes"), save = $("save"), status = $("status"), progress = $("progress");
  const progressText = $("progress-text"), position = $("position"), done = $("done");
  const total = items.length;
  const min = Number(document.body.dataset.min), max = Number(document.body.dataset.max);
  let index = 0, dim = 0, values = {}, saving = false;

  const ratingOf = (a) => (a.dataset.rating ? JSON.parse(a.dataset.rating) : null);
  const ratedCount = () => items.filter((a) => a.dataset.rating).length;
  function firstUnrated(from) {
    for (let k = 0; k < total; k++) {
      const j = (from + k) % total;
      if (!items[j].dataset.rating) return j;
    }
    return -1;
  }
  function say(text, kind) {
    status.textContent = text;
    status.className = kind || "";
  }
  function updateProgress() {
    const n = ratedCount();
    progress.value = n;
    progressText.textContent = n + " of " + total + " rated";
    done.hidden = n < total;
  }
  function paint() {
    dims.forEach((el, d) => {
      const v = values[names[d]];
      for (const b of el.querySelectorAll("button")) {
        b.setAttribute("aria-checked", String(Number(b.dataset.value) === v));
      }
      const chosen = v !== undefined ? el.querySelector('button[data-value="' + v + '"]') : null;
      el.querySelector(".anchor").textContent = chosen ? chosen.title : "";
    });
  }
  function focusDim(d) {
    dim = Math.max(0, Math.min(dims.length - 1, d));
    dims[dim].focus({ preventScroll: true });
  }
  function show(i) {
    index = i;
    items.forEach((a, j) => { a.hidden = j !== i; });
    const r = ratingOf(items[i]);
    values = {};
    if (r) for (const n of names) values[n] = r[n];
    notes.value = r && r.notes ? r.notes : "";
    for (const el of dims) el.classList.remove("missing");
    paint();
    position.textContent = "Item " + (i + 1) + " of " + total +
      (r ? " · rated: saving again updates it" : " · not rated yet");
    window.scrollTo(0, 0);
    focusDim(0);
  }
  function setValue(d, v) {
    values[names[d]] = v;
    dims[d].classList.remove("missing");
    paint();
  }
  async function submit() {
    if (saving) return;
    const missing = names.filter((n) => values[n] === undefined);
    if (missing.length > 0) {
      for (const n of missing) dims[names.indexOf(n)].classList.add("missing");
      say("Not saved: score " + missing.join(", ") + " first", "error");
      focusDim(names.indexOf(missing[0]));
      return;
    }
    const article = items[index];
    const payload = { item_id: article.dataset.id };
    for (const n of names) payload[n] = values[n];
    payload.notes = notes.value.trim() === "" ? null : notes.value;
    saving = true;
    save.disabled = true;
    say("Saving…", "");
    try {
      const res = await fetch("/api/ratings", {
        method: "POST",
        headers: { "content-type": "application/json", "x-evalkit-token": token },
        body: JSON.stringify(payload),
        cache: "no-store",
        credentials: "omit",
      });
      const reply = await res.json().catch(() => ({}));
      if (!res.ok) {
        say(
          res.status === 403
            ? "Not saved: this page's session has ended (was the server restarted?). Open the address it printed."
            : "Not saved: " + (reply.error || "HTTP " + res.status),
          "error",
        );
        return;
      }
      const again = Boolean(article.dataset.rating);
      article.dataset.rating = JSON.stringify(reply.rating);
      updateProgress();
      say((again ? "Updated " : "Saved ") + article.dataset.id + " · " + reply.rated + " of " + total + " rated", "ok");
      const next = firstUnrated(index + 1);
      show(next >= 0 ? next : index);
    } catch (_) {
      say("Not saved: the server did not answer. Your scores are still here: press Enter to try again", "error");
    } finally {
      saving = false;
      save.disabled = false;
    }
  }
  dims.forEach((el, d) => {
    el.addEventListener("focus", () => { dim = d; });
    for (const b of el.querySelectorAll("button")) {
      b.addEventListener("click", () => {
        setValue(d, Number(b.dataset.value));
        focusDim(d);
      });
    }
  });
  save.addEventListener("click", () => submit());
  $("prev").addEventListener("click", () => { if (index > 0) show(index - 1); });
  $("next").addEventListener("click", () => { if (index < total - 1) show(index + 1); });
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    const t = e.target;
    if (t === notes) {
      if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        submit();
      } else if (e.key === "Escape") {
        e.preventDefault();
        focusDim(dims.length - 1);
      }
      return;
    }
    if (t instanceof HTMLButtonElement && !t.closest(".dim") && (e.key === "Enter" || e.key === " ")) {
      return;
    }
    // A digit scores; on a scale up to 10, 0 is 10 (unless 0 is on the scale).
    const digit = e.key.length === 1 && e.key >= "0" && e.key <= "9" ? Number(e.key) : null;
    const typed = digit === 0 && max === 10 && min > 0 ? 10 : digit;
    if (typed !== null && typed >= min && typed <= max) {
      e.preventDefault();
      setValue(dim, typed);
      if (dim < dims.length - 1) focusDim(dim + 1);
      return;
    }
    const current = values[names[dim]];
    switch (e.key) {
      case "ArrowDown": e.preventDefault(); focusDim(dim + 1); break;
      case "ArrowUp": e.preventDefault(); focusDim(dim - 1); break;
      case "ArrowRight": e.preventDefault(); setValue(dim, current === undefined ? min : Math.min(max, current + 1)); break;
      case "ArrowLeft": e.preventDefault(); setValue(dim, current === undefined ? min : Math.max(min, current - 1)); break;
      case "Enter": e.preventDefault(); submit(); break;
      case "[": e.preventDefault(); if (index > 0) show(index - 1); break;
      case "]": e.preventDefault(); if (index < total - 1) show(index + 1); break;
    }
  });
  updateProgress();
  const first = firstUnrated(0);
  show(first >= 0 ? first : 0);
})();
`;

/**
 * The rating page as one HTML document. Serve it with a Content-Security-Policy
 * whose `script-src` and `style-src` allow only `page.nonce`.
 *
 * @param page The rater, the items in the rater's order, the rubric, the nonce and token.
 * @returns The HTML text.
 *
 * @example
 * ```ts
 * import { reviewPageHtml, rubricAnchors } from "./page.ts";
 * import { loadPrompt } from "../judge/prompt.ts";
 * const html = reviewPageHtml({
 *   rater: "ana", nonce: "n0nce", token: "t0ken", rubric: rubricAnchors(await loadPrompt()),
 *   items: [{ id: "q1", item: { query: "Hi <b>" }, response: "<script>x()</script>", rating: null }],
 * });
 * if (!html.includes("&lt;script&gt;x()") || html.includes("<script>x()")) throw new Error("not escaped");
 * if ((html.match(/<script nonce="n0nce">/g) ?? []).length !== 1) throw new Error("one script, with the nonce");
 * ```
 */
export function reviewPageHtml(page: ReviewPage): string {
  const total = page.items.length;
  const rated = page.items.filter((i) => i.rating !== null).length;
  const nonce = escapeHtml(page.nonce);
  const maxNotes = page.maxNotes ?? 10000;
  const scale = page.scale ?? DEFAULT_SCALE;
  const keys = scale.max === 10 && scale.min > 0
    ? `<kbd>${scale.min}</kbd>–<kbd>9</kbd>, <kbd>0</kbd> for 10`
    : `<kbd>${scale.min}</kbd>–<kbd>${scale.max}</kbd>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Rate answers · ${escapeHtml(page.rater)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body data-token="${escapeHtml(page.token)}" data-rater="${
    escapeHtml(page.rater)
  }" data-min="${scale.min}" data-max="${scale.max}">
<header>
<h1>Rate the answers <span class="rater">· rater ${escapeHtml(page.rater)}</span></h1>
<progress id="progress" max="${total}" value="${rated}"></progress>
<span id="progress-text">${rated} of ${total} rated</span>
</header>
<main>
<div id="content">
<p id="done" hidden>All ${total} items are rated: thank you. Every rating is saved; you can close this page, or go back with <kbd>[</kbd> to change one.</p>
${page.items.map(itemHtml).join("\n")}
</div>
<aside id="controls" aria-label="Your rating">
${page.rubric.map((d) => dimensionHtml(d, scale)).join("\n")}
<div class="notes"><label for="notes"><b>notes</b> <small>optional; Shift+Enter: new line</small></label><textarea id="notes" rows="2" maxlength="${maxNotes}"></textarea></div>
<div class="actions"><button id="save" type="button">Save and next <kbd>Enter</kbd></button><button id="prev" type="button" aria-label="Previous item">← <kbd>[</kbd></button><button id="next" type="button" aria-label="Next item"><kbd>]</kbd> →</button></div>
<p id="position"></p>
<p id="status" role="status" aria-live="polite"></p>
<p class="keys">Keys: ${keys} score the focused dimension and move on · <kbd>↑</kbd> <kbd>↓</kbd> or <kbd>Tab</kbd> move · <kbd>←</kbd> <kbd>→</kbd> adjust · <kbd>Enter</kbd> save · <kbd>[</kbd> <kbd>]</kbd> previous / next item. Hover a score for the rubric's anchor. Rate each dimension on its own.</p>
</aside>
</main>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}
