/**
 * DuckDB at the edge: an in-memory database for reading and writing files too
 * large for the JS heap (prod logs as JSONL, CSV or Parquet).
 *
 * @module
 */
import type { DuckDBConnection } from "@duckdb/node-api";

/** An open in-memory DuckDB connection and the way to close it. */
export interface DuckDB {
  conn: DuckDBConnection;
  close(): void;
}

/**
 * Open an in-memory DuckDB. Close it when done (or use {@link withDuckDB}).
 *
 * @example
 * ```ts
 * import { openDuckDB } from "./duckdb.ts";
 * const db = await openDuckDB();
 * try {
 *   const rows = (await db.conn.runAndReadAll("SELECT 42 AS x")).getRowObjects();
 *   if (Number(rows[0].x) !== 42) throw new Error();
 * } finally {
 *   db.close();
 * }
 * ```
 */
export async function openDuckDB(): Promise<DuckDB> {
  // Loaded on first use: commands that never read Parquet or run SQL never load DuckDB.
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  return {
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Run `fn` with a fresh in-memory DuckDB connection, closed afterwards.
 *
 * @example
 * ```ts
 * import { withDuckDB } from "./duckdb.ts";
 * const n = await withDuckDB(async (conn) => Number((await conn.runAndReadAll("SELECT 1 + 1 AS n")).getRowObjects()[0].n));
 * if (n !== 2) throw new Error();
 * ```
 */
export async function withDuckDB<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const db = await openDuckDB();
  try {
    return await fn(db.conn);
  } finally {
    db.close();
  }
}

/** A SQL string literal: `'it''s'`. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The DuckDB table function that reads a file of the given format. */
export function readFunction(path: string, format: "jsonl" | "csv" | "parquet"): string {
  const p = sqlString(path);
  switch (format) {
    case "jsonl":
      return `read_json(${p}, format = 'newline_delimited', records = true, maximum_object_size = 33554432)`;
    case "csv":
      return `read_csv(${p}, header = true, all_varchar = true)`;
    case "parquet":
      return `read_parquet(${p})`;
  }
}
