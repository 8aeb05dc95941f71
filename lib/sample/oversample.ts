/**
 * Feedback-aware sampling (`sample --oversample down=0.3`): the shares asked for, and
 * what the draw did with them — per stratum × feedback group ("cell") the prod records,
 * the seats, the draws and the inclusion weight (records / draws), and the cells that
 * had fewer records than seats.
 *
 * Pure functions: the SQL that draws the cells is in {@link ./sql.ts}.
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import { FEEDBACK_GROUPS, type FeedbackGroup, type Oversample } from "./sql.ts";

export type { FeedbackGroup, Oversample };

/** One cell (stratum × feedback group) of an oversampled draw. */
export interface OversampleCell {
  /** Distinct prod records of the cell in the window (after duplicates and held-out cases). */
  available: number;
  /** Seats the shares gave the cell. */
  target: number;
  /** Drawn: the target, or all records when fewer, plus spare seats of short cells. */
  got: number;
  /** The inclusion weight of the cell's items, available / got; null when none was drawn. */
  weight: number | null;
}

/** What an oversampled draw did, for the summary and `strata.json`. */
export interface OversampleSummary {
  /** The shares asked for (`--oversample`). */
  shares: Oversample;
  /** Per stratum, per group (`down`, `up`, `rest`): records, seats, draws, weight. */
  cells: Record<string, Record<string, OversampleCell>>;
  /** Cells with fewer records than seats: all of them were taken. */
  short: { stratum: string; group: string; available: number; target: number }[];
}

/**
 * Check an oversample: groups `down` / `up`, each share above 0 and below 1, and
 * together below 1 (the rest of each stratum comes from the other records).
 *
 * @throws {RangeError} (exit 2) Naming `--oversample` and the bad value.
 *
 * @example
 * ```ts
 * import { checkOversample } from "./oversample.ts";
 * checkOversample({ down: 0.3, up: 0.2 });
 * let threw = false;
 * try { checkOversample({ down: 0.6, up: 0.5 }); } catch { threw = true; }
 * if (!threw) throw new Error("shares summing to 1.1 must be refused");
 * ```
 */
export function checkOversample(oversample: Record<string, number>): Oversample {
  const entries = Object.entries(oversample);
  if (entries.length === 0) throw usageError("Invalid --oversample: no FEEDBACK=SHARE given");
  for (const [group, share] of entries) {
    if (!(FEEDBACK_GROUPS as readonly string[]).includes(group)) {
      throw usageError(
        `Invalid --oversample "${group}=${share}": FEEDBACK must be ${
          FEEDBACK_GROUPS.join(" or ")
        }`,
      );
    }
    if (typeof share !== "number" || !Number.isFinite(share) || share <= 0 || share >= 1) {
      throw usageError(
        `Invalid --oversample "${group}=${share}": SHARE must be a number above 0 and below 1`,
      );
    }
  }
  const sum = entries.reduce((a, [, v]) => a + v, 0);
  if (sum >= 1) {
    throw usageError(
      `Invalid --oversample: the shares sum to ${Number(sum.toFixed(6))}, expected below 1 ` +
        `(the rest of each stratum is drawn from the other records)`,
    );
  }
  return Object.fromEntries(
    FEEDBACK_GROUPS.filter((g) => g in oversample).map((g) => [
      g,
      oversample[g],
    ]),
  ) as Oversample;
}

/**
 * Parse `--oversample` values (`FEEDBACK=SHARE`, e.g. `down=0.3`; the flag may repeat).
 *
 * @returns The checked oversample, or undefined when no value is given.
 * @throws {RangeError} (exit 2) A value that is not FEEDBACK=SHARE, a group given twice,
 * or shares that {@link checkOversample} refuses.
 *
 * @example
 * ```ts
 * import { parseOversample } from "./oversample.ts";
 * const o = parseOversample(["down=0.3", "up=0.1"]);
 * if (o?.down !== 0.3 || o.up !== 0.1 || parseOversample([]) !== undefined) throw new Error();
 * ```
 */
export function parseOversample(values: readonly string[] | undefined): Oversample | undefined {
  if (!values || values.length === 0) return undefined;
  const out: Record<string, number> = {};
  for (const value of values) {
    const m = /^\s*([^=\s]+)\s*=\s*(\S+)\s*$/.exec(value);
    if (!m) {
      throw usageError(`Invalid --oversample "${value}": expected FEEDBACK=SHARE, e.g. down=0.3`);
    }
    const share = /^[0-9]*\.?[0-9]+(e-?[0-9]+)?$/i.test(m[2]) ? Number(m[2]) : NaN;
    if (m[1] in out) throw usageError(`Invalid --oversample: "${m[1]}" is given twice`);
    if (Number.isNaN(share)) {
      throw usageError(
        `Invalid --oversample "${value}": SHARE must be a number above 0 and below 1`,
      );
    }
    out[m[1]] = share;
  }
  return checkOversample(out);
}

/** Per-cell counts as the `cells` query returns them. */
export interface CellRow {
  stratum: string;
  group: string;
  available: number;
  target: number;
  took: number;
}

const LABEL: Record<string, string> = { down: "thumbed-down", up: "thumbed-up", rest: "other" };

/**
 * The oversample summary of the cells drawn, and a warning per short cell.
 *
 * @example
 * ```ts
 * import { summarizeCells } from "./oversample.ts";
 * const { summary, warnings } = summarizeCells({ down: 0.3 }, [
 *   { stratum: "billing", group: "down", available: 4, target: 6, took: 4 },
 *   { stratum: "billing", group: "rest", available: 96, target: 14, took: 16 },
 * ]);
 * if (summary.cells.billing.rest.weight !== 6 || summary.short.length !== 1) throw new Error();
 * if (!warnings[0].includes("4 thumbed-down records for 6 seats")) throw new Error(warnings[0]);
 * ```
 */
export function summarizeCells(
  shares: Oversample,
  rows: readonly CellRow[],
): { summary: OversampleSummary; warnings: string[] } {
  const cells: OversampleSummary["cells"] = {};
  const short: OversampleSummary["short"] = [];
  const warnings: string[] = [];
  const flag = Object.entries(shares).map(([g, v]) => `${g}=${v}`).join(" ");
  for (const r of rows) {
    cells[r.stratum] ??= {};
    cells[r.stratum][r.group] = {
      available: r.available,
      target: r.target,
      got: r.took,
      weight: r.took > 0 ? r.available / r.took : null,
    };
  }
  for (const r of rows) {
    if (r.available >= r.target) continue;
    short.push({ stratum: r.stratum, group: r.group, available: r.available, target: r.target });
    const fillers = rows.filter((o) => o.stratum === r.stratum && o.took > o.target)
      .map((o) => LABEL[o.group]);
    warnings.push(
      `stratum "${r.stratum}" has ${r.available} ${LABEL[r.group]} records for ${r.target} ` +
        `seats (--oversample ${flag}): all taken, the other ${r.target - r.available} seats ` +
        `drawn from its ${fillers.join(" and ") || "other"} records`,
    );
  }
  return { summary: { shares, cells, short }, warnings };
}
