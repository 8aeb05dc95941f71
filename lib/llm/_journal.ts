/**
 * The steps of {@link openJournal}: read back what a journal holds (cutting a torn
 * last line) and write appends in groups, one write and one `fdatasync` per group.
 *
 * @module
 */
import type { z } from "zod";

/** What a journal's lines hold. */
export interface JournalContents<T> {
  /** The records by id, in file order; the first record of an id wins. */
  existing: Map<string, T>;
  /** Lines ignored: unreadable JSON, records the schema refuses, repeated ids. */
  dropped: number;
}

/**
 * Parse a journal's whole lines: each a JSON record the schema accepts, whose id
 * has not been seen. Blank lines are passed over.
 *
 * @param text The journal's text up to and including its last newline.
 */
export function parseJournal<S extends z.ZodType>(
  text: string,
  schema: S,
  idOf: (record: z.infer<S>) => string,
): JournalContents<z.infer<S>> {
  const existing = new Map<string, z.infer<S>>();
  let dropped = 0;
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
  return { existing, dropped };
}

/**
 * Read a journal file back, cutting a torn last line (a write a kill cut off)
 * from the file; a missing file is an empty journal.
 *
 * @returns The whole lines' text, and whether a torn line was cut.
 */
export async function readJournalFile(path: string): Promise<{ text: string; torn: boolean }> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    return { text: "", torn: false };
  }
  const lastNewline = bytes.lastIndexOf(0x0a);
  const torn = lastNewline + 1 < bytes.length;
  if (torn) await Deno.truncate(path, lastNewline + 1);
  return { text: new TextDecoder().decode(bytes.subarray(0, lastNewline + 1)), torn };
}

/** Where a group of appends goes: a file open for appending, or a test's stand-in. */
export interface AppendTarget {
  write(bytes: Uint8Array): Promise<number>;
  syncData(): Promise<void>;
}

/** Writes appends in groups: lines queued during a write go out together in the next. */
export interface GroupCommit {
  /** Queue bytes; resolves once they are written (and synced), rejects if that fails. */
  push(bytes: Uint8Array): Promise<void>;
  /** Resolves when nothing is queued or being written. */
  idle(): Promise<void>;
}

/**
 * Group-commit appends to a target: while a write is in progress, new lines wait
 * and go out together in one write, followed by one `fdatasync` when `sync`.
 * A failed write rejects every append of its group.
 */
export function groupCommit(target: AppendTarget, sync: boolean): GroupCommit {
  let queue: { bytes: Uint8Array; done: () => void; fail: (e: unknown) => void }[] = [];
  let writing: Promise<void> | null = null;

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
        while (rest.length > 0) rest = rest.subarray(await target.write(rest));
        if (sync) await target.syncData();
        for (const b of batch) b.done();
      } catch (e) {
        for (const b of batch) b.fail(e);
      }
    }
    writing = null;
  };

  return {
    push(bytes) {
      return new Promise<void>((done, fail) => {
        queue.push({ bytes, done, fail });
        if (!writing) writing = drain();
      });
    },
    async idle() {
      while (writing) await writing;
    },
  };
}
