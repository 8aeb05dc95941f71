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
  const existing = new Map<string, z.infer<S>>();
  let dropped = 0;
  let bytes: Uint8Array | undefined;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (bytes && bytes.length > 0) {
    const lastNewline = bytes.lastIndexOf(0x0a);
    const whole = bytes.subarray(0, lastNewline + 1);
    if (lastNewline + 1 < bytes.length) {
      dropped++;
      await Deno.truncate(path, lastNewline + 1);
    }
    const text = new TextDecoder().decode(whole);
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        dropped++;
        continue;
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        dropped++;
        continue;
      }
      const id = idOf(parsed.data);
      if (existing.has(id)) {
        dropped++;
        continue;
      }
      existing.set(id, parsed.data);
    }
  }
  const file = await Deno.open(path, { append: true, create: true });
  const sync = options.sync ?? true;
  const ids = new Set(existing.keys());
  const encoder = new TextEncoder();
  let queue: { bytes: Uint8Array; done: () => void; fail: (e: unknown) => void }[] = [];
  let writing: Promise<void> | null = null;
  let closed = false;

  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      const size = batch.reduce((n, b) => n + b.bytes.length, 0);
      const all = new Uint8Array(size);
      let offset = 0;
      for (const b of batch) {
        all.set(b.bytes, offset);
        offset += b.bytes.length;
      }
      try {
        let rest = all;
        while (rest.length > 0) rest = rest.subarray(await file.write(rest));
        if (sync) await file.syncData();
        for (const b of batch) b.done();
      } catch (e) {
        for (const b of batch) b.fail(e);
      }
    }
    writing = null;
  };

  return {
    path,
    existing,
    dropped,
    has: (id) => ids.has(id),
    append(id, record) {
      if (closed) return Promise.reject(new Error(`Journal "${path}" is closed`));
      if (ids.has(id)) return Promise.resolve();
      ids.add(id);
      return new Promise<void>((done, fail) => {
        queue.push({ bytes: encoder.encode(JSON.stringify(record) + "\n"), done, fail });
        if (!writing) writing = drain();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      while (writing) await writing;
      file.close();
    },
  };
}
