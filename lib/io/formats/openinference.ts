/**
 * `--format openinference`: OpenInference spans as Arize Phoenix and its
 * instrumentations write them (openinference `spec/semantic_conventions.md`,
 * `spec/llm_spans.md`, `spec/tool_calling.md`, `spec/multimodal_attributes.md`,
 * `spec/feedback/annotations.md`): `openinference.span.kind = "LLM"`, flattened
 * `llm.input_messages.N.message.{role,content,contents.M.message_content.*,
 * tool_calls.K.tool_call.*,tool_call_id,name}`, `llm.output_messages`,
 * `input.value` / `output.value`, `llm.model_name`, `session.id`, `user.id`,
 * `metadata` (JSON text), `tag.tags`, and feedback as span annotations
 * (`annotations.N.annotation.{name,score,label}`). Read from OTLP JSON or span
 * objects whose `attributes` are an object. Other span kinds are skipped.
 *
 * @module
 */
import { messageText } from "../../messages.ts";
import type { Message } from "../../schemas.ts";
import {
  compact,
  first,
  flatten,
  isFeedbackName,
  issue,
  mergeAdapted,
  parseJsonish,
  str,
  tagsColumn,
} from "./_util.ts";
import { attrField, holdsSpans, spansOf, type SpanView } from "./otlp.ts";
import type { Adapted, AdaptOptions, FormatAdapter } from "./types.ts";

/** Indexed entries `prefix.N.…` of flattened attributes, as objects keyed by the rest. */
function indexed(attrs: Record<string, unknown>, prefix: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const re = new RegExp(`^${prefix.replaceAll(".", "\\.")}\\.(\\d+)\\.(.+)$`);
  for (const [k, v] of Object.entries(attrs)) {
    const m = re.exec(k);
    if (!m) continue;
    (out[Number(m[1])] ??= {})[m[2]] = v;
  }
  return out.filter((x) => x !== undefined);
}

/** One flattened `message.*` entry in the OpenAI chat shape. */
function message(m: Record<string, unknown>): Record<string, unknown> {
  const contents = indexed(m, "message.contents").map((c) =>
    c["message_content.type"] === "image"
      ? {
        type: "image_url",
        image_url: { url: String(c["message_content.image.image.url"] ?? "") },
      }
      : c["message_content.type"] === "audio"
      ? { type: "input_audio" }
      : { type: "text", text: String(c["message_content.text"] ?? "") }
  );
  const calls = indexed(m, "message.tool_calls").map((c) => ({
    id: String(c["tool_call.id"] ?? ""),
    type: "function",
    function: {
      name: String(c["tool_call.function.name"] ?? ""),
      arguments: String(c["tool_call.function.arguments"] ?? "{}"),
    },
  }));
  return compact({
    role: String(m["message.role"] ?? ""),
    content: contents.length ? contents : (m["message.content"] as string | undefined) ?? null,
    tool_call_id: str(m["message.tool_call_id"]),
    name: str(m["message.name"]),
    tool_calls: calls.length ? calls : undefined,
  });
}

function feedback(
  a: Record<string, unknown>,
  options: AdaptOptions,
): { value?: unknown; ignored: string[] } {
  const notes = [...indexed(a, "annotations"), ...indexed(a, "trace.annotations")];
  const hit = notes.find((n) => isFeedbackName(n["annotation.name"], options.feedbackKey));
  const ignored = notes.filter((n) => n !== hit).map((n) => String(n["annotation.name"]));
  return {
    value: hit ? first(hit["annotation.label"], hit["annotation.score"]) : undefined,
    ignored,
  };
}

function adaptSpan(span: SpanView, options: AdaptOptions): Adapted {
  const a = span.attributes;
  if (a["openinference.span.kind"] !== "LLM") {
    return {
      records: [],
      skipped: [`a ${String(a["openinference.span.kind"] ?? "non-LLM")} span`],
      issues: [],
    };
  }
  const input = indexed(a, "llm.input_messages").map(message);
  const issues = [];
  const query = input.length === 0 ? str(a["input.value"]) : undefined;
  if (input.length === 0 && query === undefined) {
    issues.push(
      issue(attrField(span, "llm.input_messages"), "missing: no input messages and no input.value"),
    );
  }
  if (!span.id) issues.push(issue(`${span.where ? span.where + "." : ""}spanId`, "missing"));
  const ts = span.start ?? span.startRaw;
  if (ts === undefined) {
    issues.push(issue(`${span.where ? span.where + "." : ""}startTimeUnixNano`, "missing"));
  }
  if (issues.length > 0) return { records: [], skipped: [], issues };
  const output = indexed(a, "llm.output_messages").map(message);
  const fb = feedback(a, options);
  const scalar = Object.fromEntries(
    Object.entries(a).filter(([k]) =>
      !/^(llm\.(input|output)_messages|annotations|trace\.annotations)\./.test(k) &&
      k !== "metadata"
    ),
  );
  return {
    records: [{
      where: span.where,
      record: compact({
        id: span.id!,
        ts,
        ...(input.length ? { messages: input } : { query }),
        response: output.length
          ? output.map((m) => messageText(m as unknown as Message)).join("\n")
          : str(a["output.value"]) ?? null,
        model: str(a["llm.model_name"]),
        feedback: fb.value,
        conversation_id: str(a["session.id"]),
        user_id: str(a["user.id"]),
        trace_id: span.traceId,
        ...flatten(parseJsonish(a.metadata), "metadata"),
        ...tagsColumn(parseJsonish(a["tag.tags"])),
        ...flatten(scalar, "attributes"),
      }),
    }],
    skipped: [],
    issues: [],
    ignoredFeedback: fb.ignored,
  };
}

/** The `openinference` adapter. */
export const openinference: FormatAdapter = {
  name: "openinference",
  documented:
    "OpenInference spec: semantic_conventions.md, llm_spans.md, tool_calling.md, multimodal_attributes.md, feedback/annotations.md",
  detect(value) {
    return holdsSpans(value) &&
      spansOf(value).some((s) => "openinference.span.kind" in s.attributes);
  },
  adapt(value, options) {
    return mergeAdapted(spansOf(value).map((s) => adaptSpan(s, options)));
  },
};
