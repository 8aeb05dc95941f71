/**
 * A resumable run journal: one JSON line per finished item, appended and
 * flushed as each lands, so a run killed at any moment (SIGKILL included)
 * restarts with everything that was written and judges only what is missing.
 *
 * On open, a torn last line (a write cut off by the kill) is cut from the file
 * and repeated ids are ignored (the first wins), so no item is lost or
 * duplicated. Appends are group-committed: lines queued while a write is in
 * progress go out in the next single write, followed by `fdatasync`.
 *
 * @module
 */
import type { z } from "zod";
import { groupCommit, parseJournal, readJournalFile } from "./_journal.ts";

/** A journal of finished items. */
export interface Journal<T> {
  readonly path: string;
  /** The records found when the journal was opened, by id, in file order. */
  readonly existing: ReadonlyMap<string, T>;
  /** Lines ignored on open: a torn last line, unreadable lines, repeated ids. */
  readonly dropped: number;
  /** Whether `id` is in the journal (found on open or appended since). */
  has(id: string): boolean;
  /** Append one record and flush it; an id already present is ignored. */
  append(id: string, record: T): Promise<void>;
  /** Wait for pending writes and close the file. */
  close(): Promise<void>;
}

/** Options for {@link openJournal}. */
export interface JournalOptions {
  /** `fdatasync` after each group of appends (durability against power loss, not only a kill). @default true */
  sync?: boolean;
}

/**
 * Open (or create) a journal.
 *
 * @param path The JSONL file; its folder is created.
 * @param schema What a record must be; lines that fail it are dropped.
 * @param idOf The id of a record.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { openJournal } from "./journal.ts";
 * const path = `${await Deno.makeTempDir()}/j.jsonl`;
 * await Deno.writeTextFile(path, '{"id":"a"}\n{"id":"b"}\n{"id":"c"');
 * const j = await openJournal(path, z.object({ id: z.string() }), (r) => r.id);
 * await j.append("c", { id: "c" });
 * await j.close();
 * if ((await Deno.readTextFile(path)) !== '{"id":"a"}\n{"id":"b"}\n{"id":"c"}\n') throw new Error();
 * ```
 */
export async function openJournal<S extends z.ZodType>(
  path: string,
  schema: S,
  idOf: (record: z.infer<S>) => string,
  options: JournalOptions = {},
): Promise<Journal<z.infer<S>>> {
  const folder = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
  await Deno.mkdir(folder, { recursive: true });
  const { text, torn } = await readJournalFile(path);
  const contents = parseJournal(text, schema, idOf);
  const existing = contents.existing;
  const dropped = contents.dropped + (torn ? 1 : 0);
  const file = await Deno.open(path, { append: true, create: true });
  const writes = groupCommit(file, options.sync ?? true);
  const ids = new Set(existing.keys());
  const encoder = new TextEncoder();
  let closed = false;
  return {
    path,
    existing,
    dropped,
    has: (id) => ids.has(id),
    append(id, record) {
      if (closed) return Promise.reject(new Error(`Journal "${path}" is closed`));
      if (ids.has(id)) return Promise.resolve();
      ids.add(id);
      return writes.push(encoder.encode(JSON.stringify(record) + "\n"));
    },
    async close() {
      if (closed) return;
      closed = true;
      await writes.idle();
      file.close();
    },
  };
}
