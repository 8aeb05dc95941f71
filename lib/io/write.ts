/**
 * Serialisers for the record formats. They return text; files are written
 * only through the artifacts module (or, for the demo world, its generator).
 *
 * @module
 */
import { stringify } from "csv-stringify/sync";
import { openDuckDB, readFunction, sqlString } from "./duckdb.ts";

export { toJsonl } from "./jsonl.ts";

/**
 * Records as CSV with a header row, in the given column order. Arrays and
 * objects are written as JSON text; `null` and `undefined` as empty cells.
 *
 * @example
 * ```ts
 * import { toCsv } from "./write.ts";
 * const csv = toCsv([{ id: "a", note: "x, y" }], ["id", "note"]);
 * if (csv !== 'id,note\na,"x, y"\n') throw new Error(csv);
 * ```
 */
export function toCsv(
  records: readonly Record<string, unknown>[],
  columns: readonly string[],
): string {
  const rows = records.map((r) =>
    columns.map((c) => {
      const v = r[c];
      if (v === null || v === undefined) return "";
      if (typeof v === "object") return JSON.stringify(v);
      return String(v);
    })
  );
  return stringify([columns as string[], ...rows], { record_delimiter: "\n" });
}

/**
 * Convert a JSONL file to Parquet through DuckDB (bounded memory; used for
 * demo logs, benchmarks and tests of the Parquet reader).
 *
 * @example
 * ```ts
 * import { jsonlToParquet } from "./write.ts";
 * import { readRecords } from "./read.ts";
 * import { z } from "zod";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.jsonl`, '{"id":"a"}\n{"id":"b"}\n');
 * await jsonlToParquet(`${dir}/a.jsonl`, `${dir}/a.parquet`);
 * if ((await readRecords(`${dir}/a.parquet`, z.object({ id: z.string() }))).length !== 2) throw new Error();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function jsonlToParquet(jsonlPath: string, parquetPath: string): Promise<void> {
  const db = await openDuckDB();
  try {
    await db.conn.run(
      `COPY (SELECT * FROM ${readFunction(jsonlPath, "jsonl")}) TO ${
        sqlString(parquetPath)
      } (FORMAT parquet)`,
    );
  } finally {
    db.close();
  }
}
