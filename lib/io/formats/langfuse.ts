/**
 * `--format langfuse`: Langfuse traces as its public API returns them
 * (`Trace`, `TraceWithDetails`, `TraceWithFullDetails`: `id`, `timestamp`,
 * `input`, `output`, `sessionId`, `userId`, `metadata`, `tags`, `scores`
 * (`ScoreV1`: `name`, `value`, `stringValue`, `dataType`, `source`),
 * `observations`), one per line or a saved API page `{data: [...], meta}`.
 * Observations exported on their own (`type: "GENERATION"`, `startTime`,
 * `traceId`) are read too.
 *
 * @module
 */
import { inputsText, outputsText } from "./langsmith.ts";
import {
  compact,
  first,
  flatten,
  isFeedbackName,
  issue,
  mergeAdapted,
  obj,
  str,
  tagsColumn,
} from "./_util.ts";
import type { Adapted, AdaptIssue, AdaptOptions, FormatAdapter } from "./types.ts";

/** A trace's `input`: a string, a list of messages, or an object holding either. */
function inputOf(input: unknown): { messages?: unknown[]; query?: string } {
  if (typeof input === "string") return { query: input };
  if (Array.isArray(input)) return inputsText({ messages: input });
  const o = obj(input);
  return o ? inputsText(o) : {};
}

/** The user's feedback among a trace's scores (a name given by --feedback-key, or a common one). */
function feedbackOf(
  scores: unknown,
  options: AdaptOptions,
): { value?: unknown; ignored: string[] } {
  if (!Array.isArray(scores)) return { ignored: [] };
  const objs = scores.map(obj).filter((s) => s !== undefined);
  const hit = objs.filter((s) => isFeedbackName(s!.name, options.feedbackKey));
  const ignored = objs.map((s) => String(s!.name)).filter((n) =>
    !isFeedbackName(n, options.feedbackKey)
  );
  if (hit.length === 0) return { ignored };
  // The latest score of that name is the user's last word.
  const s = hit.sort((a, b) => String(a!.timestamp ?? "").localeCompare(String(b!.timestamp ?? "")))
    .at(-1)!;
  return {
    value: s.dataType === "CATEGORICAL"
      ? first(s.stringValue, s.value)
      : first(s.value, s.stringValue),
    ignored,
  };
}

/** A trace's `output`: a string, a message, a list of messages, or an object holding the answer. */
function outputOf(output: unknown): string | undefined {
  if (typeof output === "string") return output;
  if (Array.isArray(output)) return outputsText({ messages: output });
  return outputsText(output);
}

function generationModel(observations: unknown): string | undefined {
  if (!Array.isArray(observations)) return undefined;
  for (const o of observations.map(obj)) {
    if (o?.type === "GENERATION" && str(o.model)) return str(o.model);
  }
  return undefined;
}

/** The `langfuse` adapter. */
export const langfuse: FormatAdapter = {
  name: "langfuse",
  documented:
    "Langfuse public API models Trace / TraceWithFullDetails, ScoreV1, ObservationsView (its OpenAPI spec)",
  detect(value) {
    const v = obj(value);
    if (!v) return false;
    if (Array.isArray(v.data) && obj(v.meta)) return true;
    return ("timestamp" in v && ("input" in v || "scores" in v || "observations" in v) &&
      !("run_type" in v)) || (v.type === "GENERATION" && "startTime" in v);
  },
  adapt(value, options): Adapted {
    const v = obj(value);
    if (!v) return { records: [], skipped: [], issues: [issue("", "expected a JSON object")] };
    if (Array.isArray(v.data)) {
      return mergeAdapted(v.data.map((t) => langfuse.adapt(t, options)), (i) => `data.${i}`);
    }
    const observation = "startTime" in v && "traceId" in v;
    if (observation && v.type !== "GENERATION") {
      return {
        records: [],
        skipped: [`a ${String(v.type ?? "").toLowerCase() || "non-generation"} observation`],
        issues: [],
      };
    }
    const issues: AdaptIssue[] = [];
    if (!str(v.id)) issues.push(issue("id", "missing"));
    const tsField = observation ? "startTime" : "timestamp";
    if (v[tsField] === undefined || v[tsField] === null) issues.push(issue(tsField, "missing"));
    if (issues.length > 0) return { records: [], skipped: [], issues };
    const fb = feedbackOf(v.scores, options);
    return {
      records: [{
        where: "",
        record: compact({
          id: String(v.id),
          ts: v[tsField],
          ...inputOf(v.input),
          response: outputOf(v.output) ?? null,
          model: first(str(v.model), generationModel(v.observations)),
          feedback: fb.value,
          conversation_id: str(v.sessionId),
          user_id: str(v.userId),
          name: str(v.name),
          release: str(v.release),
          environment: str(v.environment),
          ...flatten(v.metadata, "metadata"),
          ...tagsColumn(v.tags),
        }),
      }],
      skipped: [],
      issues: [],
      ignoredFeedback: fb.ignored,
    };
  },
};
