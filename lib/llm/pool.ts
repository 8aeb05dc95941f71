/**
 * The work loop shared by `judge` and `generate`: run tasks with bounded
 * concurrency, keep spending under a budget (each task reserves its estimated
 * cost before it starts; estimates are scaled up when real costs run higher),
 * stop cleanly on a fatal error, and report progress on stderr.
 *
 * @module
 */
import type { Reporter } from "../reporter.ts";
import { budgetLedger, poolProgress } from "./_pool.ts";

export { formatProgress } from "./_pool.ts";

/** One unit of work. */
export interface PoolTask {
  id: string;
  /** The task's estimated cost in USD (0 when free or unknown). */
  estimateUsd: number;
}

/** How a task ended. */
export interface TaskOutcome {
  /** USD actually spent. */
  costUsd: number;
  /** Recorded as failed (a permanent failure). */
  failed?: boolean;
  /** Not finished (retries exhausted): it stays missing and a rerun tries it again. */
  unfinished?: boolean;
}

/** Progress of a pool, as shown on stderr. */
export interface PoolProgress {
  label: string;
  done: number;
  total: number;
  failed: number;
  unfinished: number;
  costUsd: number | null;
  elapsedMs: number;
  /** Extra counters to show, e.g. `{ retries: 3, "in flight": 24 }`. */
  extra: Record<string, number | string>;
}

/** Options for {@link runPool}. */
export interface PoolOptions<T extends PoolTask> {
  /** The label of progress lines, e.g. `judge`. */
  label: string;
  /** Tasks running at once. */
  concurrency: number;
  /** Do the task. Throwing stops the pool (a fatal error: bad key, unknown model). */
  run: (task: T) => Promise<TaskOutcome>;
  /** Stop starting tasks before spending could pass this (USD). @default no budget */
  budgetUsd?: number;
  /** Already spent before this pool (counted against the budget). @default 0 */
  spentUsd?: number;
  /** Whether costs are known (else progress shows no cost). @default true */
  priced?: boolean;
  /** Where progress lines go. @default none */
  reporter?: Reporter;
  /** Items done before the pool started (resumed, cached), counted in `done/total`. @default 0 */
  alreadyDone?: number;
  /** Progress line interval. @default 1000 */
  progressEveryMs?: number;
  /** Extra counters for progress lines. */
  extra?: () => Record<string, number | string>;
  /** The clock in ms. @default performance.now */
  now?: () => number;
}

/** What a pool did. */
export interface PoolResult {
  finished: number;
  failed: number;
  /** Tasks not finished: retries exhausted, or never started (budget, fatal error). */
  unfinished: string[];
  spentUsd: number;
  /** The budget stopped the pool before every task had started. */
  budgetStopped: boolean;
  /** The error that stopped the pool, if one did. */
  fatal?: unknown;
}

/**
 * Run tasks, at most `concurrency` at a time, within a budget.
 *
 * @example
 * ```ts
 * import { runPool } from "./pool.ts";
 * const tasks = [1, 2, 3, 4].map((n) => ({ id: `t${n}`, estimateUsd: 1 }));
 * const result = await runPool(tasks, { label: "demo", concurrency: 2, budgetUsd: 2.5,
 *   run: () => Promise.resolve({ costUsd: 1 }) });
 * if (result.finished !== 2 || !result.budgetStopped) throw new Error(JSON.stringify(result));
 * ```
 */
export async function runPool<T extends PoolTask>(
  tasks: readonly T[],
  options: PoolOptions<T>,
): Promise<PoolResult> {
  const now = options.now ?? (() => performance.now());
  const total = tasks.length + (options.alreadyDone ?? 0);
  const progress = poolProgress(options, total, now(), now);
  const ledger = budgetLedger(options.budgetUsd, options.spentUsd ?? 0);
  let finished = 0;
  let failed = 0;
  const unfinished: string[] = [];
  let budgetStopped = false;
  let fatal: unknown;
  let next = 0;
  const counts = () => ({
    finished,
    failed,
    unfinished: unfinished.length,
    spentUsd: ledger.spent,
  });

  const worker = async () => {
    while (fatal === undefined && !budgetStopped && next < tasks.length) {
      const task = tasks[next];
      const reservation = ledger.reserve(task.estimateUsd);
      if (reservation === null) {
        budgetStopped = true;
        break;
      }
      next++;
      try {
        const outcome = await options.run(task);
        ledger.record(task.estimateUsd, outcome.costUsd);
        if (outcome.unfinished) unfinished.push(task.id);
        else {
          finished++;
          if (outcome.failed) failed++;
        }
      } catch (error) {
        if (fatal === undefined) fatal = error;
        unfinished.push(task.id);
      } finally {
        ledger.release(reservation);
      }
      progress(false, counts());
    }
  };
  const workers = Array.from(
    { length: Math.max(1, Math.min(options.concurrency, tasks.length)) },
    worker,
  );
  await Promise.all(workers);
  for (let i = next; i < tasks.length; i++) unfinished.push(tasks[i].id);
  if (tasks.length > 0) progress(true, counts());
  return {
    finished,
    failed,
    unfinished,
    spentUsd: ledger.spentHere,
    budgetStopped,
    ...(fatal !== undefined ? { fatal } : {}),
  };
}
