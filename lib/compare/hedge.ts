/**
 * Hedging in a response's text: the phrases by which an answer signals doubt
 * ("I'm not certain", "you may want to double-check", "probably").
 *
 * The comparison's hedge rate is the share of responses holding at least one
 * of {@link HEDGE_PATTERNS}. It is read from the text, not from the judge's
 * calibration score, so it says how often a release hedges whatever the judge
 * thinks of it; the comparison also splits it by the judge's correctness
 * (hedging a right answer is needless, hedging a wrong one is honest).
 *
 * @module
 */

/**
 * The hedging phrases, case-insensitive, each a whole-word match.
 *
 * @example
 * ```ts
 * import { HEDGE_PATTERNS } from "./hedge.ts";
 * if (!HEDGE_PATTERNS.some((p) => p.test("I'm not sure, please double-check."))) throw new Error();
 * ```
 */
export const HEDGE_PATTERNS: readonly RegExp[] = [
  /\b(i'?m|i am) not (entirely |completely |100% )?(certain|sure)\b/i,
  /\bnot (entirely |completely )?(certain|sure)\b/i,
  /\bi (might|may|could) be wrong\b/i,
  /\b(you )?(may|might) want to (double[- ]check|verify|confirm)\b/i,
  /\bdouble[- ]check\b/i,
  /\bplease (verify|confirm|check)\b/i,
  /\bbefore relying on\b/i,
  /\bdon'?t quote me\b/i,
  /\b(as far as i know|if i remember correctly|to my knowledge)\b/i,
  /\bi (believe|think)\b/i,
  /\b(probably|possibly|perhaps)\b/i,
];

/**
 * Whether a response hedges: it holds one of {@link HEDGE_PATTERNS}.
 *
 * @example
 * ```ts
 * import { hedges } from "./hedge.ts";
 * if (!hedges("I'm not certain about this, but try Settings > Team.")) throw new Error();
 * if (hedges("Open Settings > Team and choose Invite.")) throw new Error();
 * ```
 */
export function hedges(response: string): boolean {
  return HEDGE_PATTERNS.some((re) => re.test(response));
}
