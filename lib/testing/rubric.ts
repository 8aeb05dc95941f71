/**
 * The shared fixture of the tests that run a rubric of a team's own: a retrieval team's
 * three dimensions (faithfulness, citation_quality, tone) on 1–10, declared in the rubric
 * file's front matter, and eval items and responses to judge with it at the test server.
 *
 * @module
 */
import type { EvalItem, Response } from "../schemas.ts";

/** The rubric's dimensions, in its order. */
export const RAG_DIMENSIONS: readonly string[] = ["faithfulness", "citation_quality", "tone"];

/**
 * A rubric's sections after its front matter: the system text (filled from the front matter
 * through `{{scale}}`, `{{dimensions}}` and `{{reply_format}}`), the user text and the re-ask.
 */
export const RUBRIC_SECTIONS: string = `<!-- system -->
You grade answers of a retrieval assistant on {{scale}} scales, each dimension on its own:

{{dimensions}}

Reply with only this JSON object: {{reply_format}}
<!-- user -->
Tag {{tag}}.
<<<BEGIN CONVERSATION {{tag}}>>>
{{conversation}}
<<<END CONVERSATION {{tag}}>>>
<<<BEGIN RESPONSE {{tag}}>>>
{{response}}
<<<END RESPONSE {{tag}}>>>
<!-- reask -->
That reply could not be used: {{error}}. Reply with only {{reply_format}}.
`;

/** The rubric file: front matter declares the three dimensions on 1–10 (one with a note). */
export const RAG_RUBRIC: string = `---
scale: 1-10
dimensions:
  - name: faithfulness
    question: Is every claim supported by the retrieved passages?
    anchors:
      10: Every claim is stated in a passage.
      5: Some claims go beyond the passages.
      1: The answer contradicts the passages.
  - name: citation_quality
    question: Does each claim cite the passage it comes from?
    anchors:
      10: Every claim cites its passage.
      1: No citations.
  - name: tone
    question: Is the answer courteous and calm?
    note: 10 is the house tone; warmer is not better
    anchors:
      10: Courteous and calm.
      1: Rude or dismissive.
---
` + RUBRIC_SECTIONS;

/**
 * `n` eval items `q01`…: the same question numbered, every third in stratum `sales`, the
 * rest in `support`, each with its log record's `source_id`.
 */
export function ragItems(n: number): EvalItem[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `q${String(i + 1).padStart(2, "0")}`,
    query: `Which plan includes SSO? (question ${i + 1})`,
    stratum: i % 3 === 0 ? "sales" : "support",
    source_id: `log-${i + 1}`,
  } as EvalItem));
}

/** One response of `model` per item, its text marked by `variant` (so scores differ by side). */
export function ragResponses(
  items: readonly EvalItem[],
  model: string,
  variant: string,
): Response[] {
  return items.map((item, i) => ({
    item_id: item.id,
    model,
    response: `${variant} answer ${i}: SSO is in the Business plan [1].`,
    latency_ms: 10,
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  }));
}
