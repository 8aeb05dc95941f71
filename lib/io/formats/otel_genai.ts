/**
 * `--format otel-genai`: OpenTelemetry GenAI semantic-convention spans in OTLP
 * JSON (semantic-conventions `docs/gen-ai/gen-ai-spans.md`,
 * `gen-ai-input-messages.json`, `non-normative/examples-llm-calls.md`):
 * `gen_ai.input.messages` / `gen_ai.output.messages` (`role`, `parts` of type
 * `text`, `tool_call`, `tool_call_response`, `uri`, `blob`, `file`),
 * `gen_ai.system_instructions`, on the span or on an event's attributes;
 * `gen_ai.request.model`, `gen_ai.response.model`, `gen_ai.conversation.id`;
 * user feedback as a `gen_ai.evaluation.user_feedback` event
 * (`gen_ai.evaluation.score` in [-1, 1]; 0 is neutral, read as no feedback).
 * Spans that are not model calls are skipped.
 *
 * @module
 */
import { messageText } from "../../messages.ts";
import type { Message } from "../../schemas.ts";
import { compact, first, flatten, issue, mergeAdapted, obj, parseJsonish, str } from "./_util.ts";
import { attrField, holdsSpans, spansOf, type SpanView } from "./otlp.ts";
import type { Adapted, FormatAdapter } from "./types.ts";

const CALLS = new Set(["chat", "text_completion", "generate_content"]);

/** One GenAI part as an OpenAI content part (or a tool call / result). */
function part(p: Record<string, unknown>): Record<string, unknown> {
  switch (p.type) {
    case "text":
      return { type: "text", text: String(p.content ?? "") };
    case "uri":
    case "blob":
    case "file":
      if (p.modality === "audio") return { type: "input_audio" };
      if (p.modality === "image" || String(p.mime_type ?? "").startsWith("image/")) {
        return { type: "image_url", image_url: { url: String(p.uri ?? "") } };
      }
      return { type: "file", file: { filename: str(p.file_id) ?? str(p.uri) } };
    default:
      return { type: "text", text: typeof p.content === "string" ? p.content : "" };
  }
}

/** GenAI messages (`role`, `parts`) in the OpenAI chat shape. */
export function genAiMessages(value: unknown): unknown[] | undefined {
  const list = parseJsonish(value);
  if (!Array.isArray(list)) return undefined;
  const out: unknown[] = [];
  for (const m of list.map(obj)) {
    if (!m) continue;
    const parts = (Array.isArray(m.parts) ? m.parts : []).map(obj).filter((p) => p) as Record<
      string,
      unknown
    >[];
    if (!Array.isArray(m.parts) && "content" in m) { // the older {role, content} events
      out.push({ role: m.role, content: m.content ?? null });
      continue;
    }
    const calls = parts.filter((p) => p.type === "tool_call");
    const results = parts.filter((p) => p.type === "tool_call_response");
    for (const r of results) {
      const resp = r.response;
      out.push({
        role: "tool",
        tool_call_id: String(r.id ?? ""),
        content: typeof resp === "string" ? resp : JSON.stringify(resp ?? null),
      });
    }
    const content = parts.filter((p) => p.type !== "tool_call" && p.type !== "tool_call_response")
      .map(part);
    if (content.length === 0 && calls.length === 0) continue;
    out.push({
      role: m.role,
      content: content.length ? content : null,
      ...(calls.length
        ? {
          tool_calls: calls.map((c) => ({
            id: String(c.id ?? ""),
            type: "function",
            function: {
              name: String(c.name ?? ""),
              arguments: typeof c.arguments === "string"
                ? c.arguments
                : JSON.stringify(c.arguments ?? {}),
            },
          })),
        }
        : {}),
    });
  }
  return out;
}

function attr(span: SpanView, key: string): unknown {
  if (span.attributes[key] !== undefined) return span.attributes[key];
  for (const e of span.events) if (e.attributes[key] !== undefined) return e.attributes[key];
  return undefined;
}

function feedback(span: SpanView): number | undefined {
  const e = span.events.find((x) => x.name === "gen_ai.evaluation.user_feedback");
  const score = e ? Number(e.attributes["gen_ai.evaluation.score"]) : NaN;
  if (!Number.isFinite(score) || score === 0) return undefined;
  return score < 0 ? 0 : 1;
}

function adaptSpan(span: SpanView): Adapted {
  const op = str(span.attributes["gen_ai.operation.name"]);
  const input = attr(span, "gen_ai.input.messages") ?? attr(span, "gen_ai.prompt");
  if (!(op && CALLS.has(op)) && input === undefined) {
    return { records: [], skipped: ["a span that is not a model call"], issues: [] };
  }
  const issues = [];
  const messages = input === undefined ? undefined : genAiMessages(input);
  const system = genAiMessages(
    [{ role: "system", parts: parseJsonish(attr(span, "gen_ai.system_instructions")) }],
  );
  if (!messages || messages.length === 0) {
    issues.push(
      issue(
        attrField(span, "gen_ai.input.messages"),
        input === undefined
          ? "missing: the span records no input messages (is content capture on?)"
          : "expected a JSON array of messages with role and parts",
      ),
    );
  }
  if (!span.id) issues.push(issue(`${span.where ? span.where + "." : ""}spanId`, "missing"));
  if (!span.start) {
    issues.push(
      issue(`${span.where ? span.where + "." : ""}startTimeUnixNano`, "missing or not nanoseconds"),
    );
  }
  if (issues.length > 0) return { records: [], skipped: [], issues };
  const outMsgs = genAiMessages(
    attr(span, "gen_ai.output.messages") ?? attr(span, "gen_ai.completion"),
  );
  const hasSystem = Array.isArray(parseJsonish(attr(span, "gen_ai.system_instructions")));
  const {
    "gen_ai.input.messages": _i,
    "gen_ai.output.messages": _o,
    "gen_ai.system_instructions": _s,
    ...rest
  } = span.attributes;
  return {
    records: [{
      where: span.where,
      record: compact({
        id: span.id!,
        ts: span.start,
        messages: [...(hasSystem ? system ?? [] : []), ...messages!],
        response: outMsgs && outMsgs.length
          ? outMsgs.map((m) => messageText(m as Message)).join("\n")
          : null,
        model: first(
          str(span.attributes["gen_ai.response.model"]),
          str(span.attributes["gen_ai.request.model"]),
        ),
        feedback: feedback(span),
        conversation_id: str(span.attributes["gen_ai.conversation.id"]),
        user_id: first(str(span.attributes["user.id"]), str(span.attributes["enduser.id"])),
        trace_id: span.traceId,
        ...flatten(rest, "attributes"),
        ...flatten(span.resource, "resource"),
      }),
    }],
    skipped: [],
    issues: [],
  };
}

/** The `otel-genai` adapter. */
export const otelGenAi: FormatAdapter = {
  name: "otel-genai",
  documented:
    "OpenTelemetry semantic conventions docs/gen-ai (gen-ai-spans.md, gen-ai-input-messages.json, examples-llm-calls.md, gen-ai-evaluation-events.md); OTLP JSON as opentelemetry-proto examples/trace.json",
  detect(value) {
    return holdsSpans(value) &&
      spansOf(value).some((s) => Object.keys(s.attributes).some((k) => k.startsWith("gen_ai.")));
  },
  adapt(value) {
    return mergeAdapted(spansOf(value).map(adaptSpan));
  },
};
