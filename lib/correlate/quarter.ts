/**
 * Calendar quarters (`2026-Q3`): the label each quarterly correlation carries.
 *
 * @module
 */
import { usageError } from "../_errors.ts";

/** A calendar quarter and its first and last day. */
export interface Quarter {
  /** `YYYY-QN`. */
  label: string;
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** First day, `YYYY-MM-DD`. */
  start: string;
  /** Last day, `YYYY-MM-DD`. */
  end: string;
}

const LAST_DAY = ["03-31", "06-30", "09-30", "12-31"];

/**
 * Parse a quarter label.
 *
 * @param label `YYYY-QN`, e.g. `2026-Q3` (case-insensitive `q`).
 * @returns The quarter with its first and last day.
 * @throws {RangeError} A usage error quoting the label when it is not `YYYY-QN`.
 *
 * @example
 * ```ts
 * import { parseQuarter } from "./quarter.ts";
 * const q = parseQuarter("2026-Q3");
 * if (q.start !== "2026-07-01" || q.end !== "2026-09-30") throw new Error();
 * ```
 */
export function parseQuarter(label: string): Quarter {
  const m = /^(\d{4})-[Qq]([1-4])$/.exec(label.trim());
  if (!m) throw usageError(`Invalid quarter "${label}": expected YYYY-QN, e.g. 2026-Q3`);
  const year = Number(m[1]);
  const quarter = Number(m[2]) as 1 | 2 | 3 | 4;
  const month = String(quarter * 3 - 2).padStart(2, "0");
  return {
    label: `${year}-Q${quarter}`,
    year,
    quarter,
    start: `${year}-${month}-01`,
    end: `${year}-${LAST_DAY[quarter - 1]}`,
  };
}

/**
 * The quarter a date falls in.
 *
 * @param date `YYYY-MM-DD` (or a longer ISO timestamp).
 * @returns The quarter.
 *
 * @example
 * ```ts
 * import { quarterOf } from "./quarter.ts";
 * if (quarterOf("2026-08-14").label !== "2026-Q3") throw new Error();
 * ```
 */
export function quarterOf(date: string): Quarter {
  const month = Number(date.slice(5, 7));
  return parseQuarter(`${date.slice(0, 4)}-Q${Math.ceil(month / 3)}`);
}

/**
 * The quarter before (or `offset` quarters from) a quarter.
 *
 * @param label A quarter label.
 * @param offset Quarters to move. @default -1
 * @returns The label of that quarter.
 *
 * @example
 * ```ts
 * import { shiftQuarter } from "./quarter.ts";
 * if (shiftQuarter("2026-Q1") !== "2025-Q4" || shiftQuarter("2026-Q4", 1) !== "2027-Q1") throw new Error();
 * ```
 */
export function shiftQuarter(label: string, offset = -1): string {
  const q = parseQuarter(label);
  const index = q.year * 4 + (q.quarter - 1) + offset;
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}
