/**
 * The steps of {@link runPool}: the budget ledger (reservations, spending, and
 * estimates scaled by how far real costs ran above them), and progress lines
 * ({@link formatProgress}) at most one a second.
 *
 * @module
 */
import type { PoolOptions, PoolProgress, PoolTask } from "./pool.ts";

/** A progress line: `judge 412/1000 41% · 35.2/s · ETA 17s · $0.0123 · 0 failed · retries 3`. */
export function formatProgress(p: PoolProgress): string {
  const pct = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100);
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.done / seconds : 0;
  const left = p.total - p.done - p.unfinished;
  const eta = rate > 0 && left > 0 ? `ETA ${formatDuration(left / rate)}` : "ETA -";
  const parts = [
    `${p.label} ${p.done}/${p.total} ${pct}%`,
    `${rate.toFixed(1)}/s`,
    eta,
    p.costUsd === null ? "cost unknown" : `$${p.costUsd.toFixed(4)}`,
    `${p.failed} failed`,
  ];
  if (p.unfinished > 0) parts.push(`${p.unfinished} unfinished`);
  for (const [k, v] of Object.entries(p.extra)) parts.push(`${k} ${v}`);
  return parts.join(" · ");
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.ceil(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** A pool's spending against its budget. */
export interface BudgetLedger {
  /** Spent in all, what was spent before the pool included. */
  readonly spent: number;
  /** Spent by this pool. */
  readonly spentHere: number;
  /**
   * Reserve a task's estimate, scaled up by how far real costs have run above the
   * estimates so far (never down); null when spending could then pass the budget.
   */
  reserve(estimateUsd: number): number | null;
  /** A task ran: its real cost, against its estimate. */
  record(estimateUsd: number, costUsd: number): void;
  /** A task ended, however: give back its reservation. */
  release(reservation: number): void;
}

/**
 * A budget ledger.
 *
 * @param budgetUsd The budget (undefined: none).
 * @param spentUsd Spent before, counted against the budget.
 */
export function budgetLedger(budgetUsd: number | undefined, spentUsd: number): BudgetLedger {
  let spent = spentUsd;
  let spentHere = 0;
  let reserved = 0;
  let estimatedDone = 0;
  let actualDone = 0;
  const scaled = (estimate: number) =>
    estimatedDone > 0 && actualDone > estimatedDone
      ? estimate * (actualDone / estimatedDone)
      : estimate;
  return {
    get spent() {
      return spent;
    },
    get spentHere() {
      return spentHere;
    },
    reserve(estimateUsd) {
      const reserve = scaled(estimateUsd);
      if (budgetUsd !== undefined && spent + reserved + reserve > budgetUsd) return null;
      reserved += reserve;
      return reserve;
    },
    record(estimateUsd, costUsd) {
      spent += costUsd;
      spentHere += costUsd;
      if (estimateUsd > 0) {
        estimatedDone += estimateUsd;
        actualDone += costUsd;
      }
    },
    release(reservation) {
      reserved -= reservation;
    },
  };
}

/** How far a pool has got. */
export interface PoolCounts {
  finished: number;
  failed: number;
  unfinished: number;
  spentUsd: number;
}

/**
 * A pool's progress reporter: a line at most every `progressEveryMs` (or when
 * forced), to `options.reporter`; nothing without one.
 *
 * @param total Every item, those done before the pool included.
 * @param started When the pool started, on `now`.
 */
export function poolProgress<T extends PoolTask>(
  options: PoolOptions<T>,
  total: number,
  started: number,
  now: () => number,
): (force: boolean, counts: PoolCounts) => void {
  let lastProgress = -Infinity;
  return (force, counts) => {
    if (!options.reporter) return;
    const t = now();
    if (!force && t - lastProgress < (options.progressEveryMs ?? 1000)) return;
    lastProgress = t;
    options.reporter.progress(formatProgress({
      label: options.label,
      done: (options.alreadyDone ?? 0) + counts.finished,
      total,
      failed: counts.failed,
      unfinished: counts.unfinished,
      costUsd: options.priced === false ? null : counts.spentUsd,
      elapsedMs: t - started,
      extra: options.extra?.() ?? {},
    }));
  };
}
