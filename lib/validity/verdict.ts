/**
 * The one verdict on "does this dimension predict prod?", read from both levels of
 * evidence: the release-level correlation (eval deltas against prod deltas, a handful of
 * release pairs) and the item-level AUC (each prod answer's score against its user's
 * feedback, thousands of answers). A verdict never claims more than its interval:
 *
 * - `predicts prod`: the release-level interval of the signed correlation lies above 0,
 *   or the item-level AUC interval lies above 0.5.
 * - `moves against prod`: an interval lies on the wrong side (release below 0, item below
 *   0.5) and none on the right side: a higher score came with worse prod.
 * - `does not predict prod`: only from the item level, when the AUC interval lies inside
 *   [{@link NO_EFFECT_LOW}, {@link NO_EFFECT_HIGH}] — it excludes any useful effect. A wide
 *   release-level interval never gives this verdict.
 * - `not enough evidence`: anything else, with the evidence's size (`n = …`).
 *
 * @module
 */

/** The verdict on one dimension against one prod outcome. */
export type EvalProdVerdict =
  | "predicts prod"
  | "moves against prod"
  | "does not predict prod"
  | "not enough evidence";

/** Every verdict, in the order a report lists them. */
export const EVAL_PROD_VERDICTS: readonly EvalProdVerdict[] = [
  "predicts prod",
  "moves against prod",
  "does not predict prod",
  "not enough evidence",
];

/** An item-level AUC interval inside [0.45, 0.55] excludes any useful effect. */
export const NO_EFFECT_LOW = 0.45;
/** See {@link NO_EFFECT_LOW}. */
export const NO_EFFECT_HIGH = 0.55;

/** Release-level evidence: a correlation signed so that positive is "higher score, better prod". */
export interface ReleaseEvidence {
  /** The signed correlation, or null when not estimable. */
  oriented: number | null;
  oriented_ci: [number, number] | null;
  /** Release pairs behind it. */
  n: number;
}

/** Item-level evidence: the AUC of the score for good feedback against bad. */
export interface ItemEvidence {
  auc: number | null;
  ci: [number, number] | null;
  /** Answers with feedback behind it. */
  n: number;
}

/** Both levels of evidence for one dimension; either may be missing. */
export interface EvalProdEvidence {
  release?: ReleaseEvidence | null;
  item?: ItemEvidence | null;
}

/** What {@link evalProdVerdict} decides. */
export interface EvalProdJudgement {
  verdict: EvalProdVerdict;
  /** The verdict as shown: `not enough evidence (n = 9 release pairs)` carries its n. */
  label: string;
  /** Which level the verdict rests on (`null` for not enough evidence). */
  by: "release" | "item" | "both" | null;
  /** One plain sentence: why. */
  because: string;
}

const fmt = (x: number) => (Math.round(x * 100) / 100).toFixed(2);
const ciText = (ci: [number, number]) => `[${fmt(ci[0])}, ${fmt(ci[1])}]`;

function sizes(ev: EvalProdEvidence): string {
  const parts: string[] = [];
  if (ev.release) parts.push(`${ev.release.n} release pair${ev.release.n === 1 ? "" : "s"}`);
  if (ev.item) parts.push(`${ev.item.n} answer${ev.item.n === 1 ? "" : "s"} with feedback`);
  return parts.length ? parts.join(", ") : "0";
}

function which(release: boolean, item: boolean): "release" | "item" | "both" {
  return release && item ? "both" : release ? "release" : "item";
}

/**
 * Decide whether a dimension predicts prod from its release-level correlation and its
 * item-level AUC (either may be absent or not estimable).
 *
 * @param evidence `{ release?: { oriented, oriented_ci, n }, item?: { auc, ci, n } }`.
 * @returns The verdict, its label (with n when the evidence is not enough), the level it
 *   rests on and a sentence saying why.
 *
 * @example
 * ```ts
 * import { evalProdVerdict } from "./verdict.ts";
 * const wide = evalProdVerdict({ release: { oriented: -0.05, oriented_ci: [-0.95, 0.71], n: 9 } });
 * if (wide.label !== "not enough evidence (n = 9 release pairs)") throw new Error(wide.label);
 * const flat = evalProdVerdict({ item: { auc: 0.5, ci: [0.46, 0.54], n: 1200 } });
 * if (flat.verdict !== "does not predict prod") throw new Error(flat.verdict);
 * ```
 */
export function evalProdVerdict(evidence: EvalProdEvidence): EvalProdJudgement {
  const r = evidence.release?.oriented_ci ?? null;
  const i = evidence.item?.ci ?? null;
  const relUp = r !== null && r[0] > 0;
  const itemUp = i !== null && i[0] > 0.5;
  const relDown = r !== null && r[1] < 0;
  const itemDown = i !== null && i[1] < 0.5;
  const says = (ok: boolean, level: "release" | "item") =>
    ok
      ? level === "release"
        ? `the release-level correlation's interval, signed so that positive is better prod, ${
          ciText(r!)
        } (${evidence.release!.n} pairs)`
        : `the item-level AUC's interval ${ciText(i!)} (${evidence.item!.n} answers)`
      : "";
  const both = (a: string, b: string) => [a, b].filter(Boolean).join(" and ");
  if (relUp || itemUp) {
    const conflict = relDown || itemDown ? "; the other level points the other way" : "";
    return {
      verdict: "predicts prod",
      label: "predicts prod",
      by: which(relUp, itemUp),
      because: `${both(says(relUp, "release"), says(itemUp, "item"))} clears ${
        relUp ? "0" : "0.5"
      }${conflict}`,
    };
  }
  if (relDown || itemDown) {
    return {
      verdict: "moves against prod",
      label: "moves against prod",
      by: which(relDown, itemDown),
      because: `${both(says(relDown, "release"), says(itemDown, "item"))} lies on the wrong side`,
    };
  }
  if (i !== null && i[0] >= NO_EFFECT_LOW && i[1] <= NO_EFFECT_HIGH) {
    return {
      verdict: "does not predict prod",
      label: "does not predict prod",
      by: "item",
      because: `${says(true, "item")} lies inside [${NO_EFFECT_LOW}, ${NO_EFFECT_HIGH}]: ` +
        "no useful effect",
    };
  }
  return {
    verdict: "not enough evidence",
    label: `not enough evidence (n = ${sizes(evidence)})`,
    by: null,
    because: "no interval clears its null, and none is narrow enough to rule an effect out",
  };
}

/**
 * The colour a chart gives a verdict: green predicts, red moves against, blue rules an
 * effect out, grey is not enough evidence.
 *
 * @param verdict A verdict (any other string is grey).
 * @returns A CSS colour name.
 *
 * @example
 * ```ts
 * import { verdictColour } from "./verdict.ts";
 * if (verdictColour("predicts prod") !== "seagreen") throw new Error();
 * ```
 */
export function verdictColour(verdict: string): string {
  return ({
    "predicts prod": "seagreen",
    "moves against prod": "crimson",
    "does not predict prod": "steelblue",
  } as Record<string, string>)[verdict] ?? "gray";
}

/** One dimension's evidence at both levels and its verdict: a row of the report's "Eval vs prod". */
export interface EvalProdRow {
  dimension: string;
  /** The release-level correlation with the metric, signed (positive: higher score, better prod). */
  release:
    | ReleaseEvidence & { pearson: number | null; pearson_ci: [number, number] | null }
    | null;
  /** The item-level AUC (thumbs-down as the outcome). */
  item: ItemEvidence | null;
  judgement: EvalProdJudgement;
}

/** The release-level cells {@link evalProdRows} reads: `{ dimension: { metric: cell } }`. */
export type ReleaseCells = Readonly<
  Record<
    string,
    Readonly<
      Record<
        string,
        {
          n: number;
          pearson: number | null;
          pearson_ci: [number, number] | null;
          oriented: number | null;
          oriented_ci: [number, number] | null;
        }
      >
    >
  >
>;

/** The item-level entries {@link evalProdRows} reads: `validity.json`'s `dimensions`. */
export type ItemCells = Readonly<
  Record<string, {
    auc: number | null;
    auc_ci: [number, number] | null;
    primary: "up_vs_down" | "down_vs_rest";
    n: number;
    n_down: number;
    n_up: number;
  }>
>;

/**
 * Both levels of evidence side by side, one row per dimension, each with its verdict:
 * the release-level correlation with `metric` (absent: `null`) and the item-level AUC.
 *
 * @param release The correlation's `dimensions`, or null.
 * @param item The validity's `dimensions`, or null.
 * @param metric The prod metric of the release level (the item level's outcome is the
 *   user's thumbs-down, so `thumbs_down_rate` is its match). @default "thumbs_down_rate"
 * @returns Rows in the correlation's dimension order, then the validity's others.
 *
 * @example
 * ```ts
 * import { evalProdRows } from "./verdict.ts";
 * const rows = evalProdRows(
 *   { length: { thumbs_down_rate: { n: 9, pearson: 0.05, pearson_ci: [-0.71, 0.95], oriented: -0.05,
 *     oriented_ci: [-0.95, 0.71] } } },
 *   { length: { auc: 0.47, auc_ci: [0.42, 0.53], primary: "up_vs_down", n: 1500, n_down: 121, n_up: 401 } },
 * );
 * if (rows[0].judgement.label !== "not enough evidence (n = 9 release pairs, 522 answers with feedback)") {
 *   throw new Error(rows[0].judgement.label);
 * }
 * ```
 */
export function evalProdRows(
  release: ReleaseCells | null,
  item: ItemCells | null,
  metric = "thumbs_down_rate",
): EvalProdRow[] {
  const dims = [...new Set([...Object.keys(release ?? {}), ...Object.keys(item ?? {})])];
  return dims.map((dimension) => {
    const c = release?.[dimension]?.[metric];
    const d = item?.[dimension];
    const r = c
      ? {
        pearson: c.pearson,
        pearson_ci: c.pearson_ci,
        oriented: c.oriented,
        oriented_ci: c.oriented_ci,
        n: c.n,
      }
      : null;
    const i = d
      ? { auc: d.auc, ci: d.auc_ci, n: d.primary === "up_vs_down" ? d.n_down + d.n_up : d.n }
      : null;
    return { dimension, release: r, item: i, judgement: evalProdVerdict({ release: r, item: i }) };
  });
}
