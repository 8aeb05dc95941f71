/**
 * Byte-level text helpers: strict UTF-8 decoding that can say where a bad
 * byte is, and a streaming line splitter over a file.
 *
 * @module
 */
import { inputError } from "../_errors.ts";

/**
 * Read a whole text file a user named (a prompt, a rubric), or throw
 * `Cannot read "F": no such file` (or the system's reason), exit 2.
 *
 * @param path The file.
 * @param shown The name to show for it. @default the path
 */
export async function readTextInput(path: string | URL, shown = String(path)): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    throw inputError([{
      file: shown,
      line: 0,
      problem: e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message,
      kind: "type",
    }]);
  }
}

/** The byte offset of the first invalid UTF-8 sequence in `bytes`, or -1 when all is valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Count `\n` bytes in `bytes[0..end)`. */
export function countNewlines(bytes: Uint8Array, end = bytes.length): number {
  let count = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) count++;
  return count;
}

/** One line of a file: its 1-based number and its raw bytes without the line end. */
export interface RawLine {
  line: number;
  bytes: Uint8Array;
}

/**
 * Stream a file's lines as bytes, bounded in memory by the longest line.
 * Strips `\r\n` and `\n` line ends; keeps a UTF-8 BOM on line 1 for the caller.
 */
export async function* readLines(path: string): AsyncGenerator<RawLine> {
  using file = await Deno.open(path, { read: true });
  let carry: Uint8Array = new Uint8Array(0);
  let line = 0;
  for await (const chunk of file.readable) {
    let buf: Uint8Array = carry.length ? concat(carry, chunk) : chunk;
    let start = 0;
    for (let i = 0; i < buf.length; i++) {
      if (buf[i] !== 0x0a) continue;
      let end = i;
      if (end > start && buf[end - 1] === 0x0d) end--;
      line++;
      yield { line, bytes: buf.subarray(start, end) };
      start = i + 1;
    }
    buf = buf.subarray(start);
    carry = buf.slice();
  }
  if (carry.length > 0) {
    let end = carry.length;
    if (carry[end - 1] === 0x0d) end--;
    yield { line: line + 1, bytes: carry.subarray(0, end) };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** True when the bytes start with a UTF-8 byte-order mark. */
export function hasBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}
