/**
 * Steps `evalkit agreement` and `evalkit regress` share: requiring exactly one of
 * several modes or inputs, and the closing artifact line.
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import type { Command } from "./_command.ts";

/**
 * A usage error `message` (with the command's usage line) unless exactly one of `given`
 * is true.
 *
 * @throws {RangeError} The usage error.
 */
export function exactlyOne(given: readonly boolean[], message: string, command: Command): void {
  if (given.filter(Boolean).length !== 1) {
    throw usageError(`${message}\nusage: evalkit ${command.usage}`);
  }
}

/** `artifact  DIR`, with ` (identical, kept)` when an identical artifact was kept. */
export function artifactLine(dir: string, kept: boolean): string {
  return `artifact  ${dir}${kept ? " (identical, kept)" : ""}`;
}
