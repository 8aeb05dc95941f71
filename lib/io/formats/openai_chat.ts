/**
 * `--format openai-chat`: request/response records as apps that call an
 * OpenAI-compatible endpoint log them, following the `openai` package's own
 * types (`ChatCompletionCreateParams`, `ChatCompletion`, `Response`) and the
 * Batch API's input and output lines (`custom_id`, `body`, `response.body`).
 *
 * A record holds the request (`request`, `body`, or the record itself when it
 * has `messages`) and the response (`response`, `completion`, or the record
 * itself when it has `choices`): a Chat Completions object, a Responses API
 * object (`output`), or the answer text.
 *
 * @module
 */
import { messageText } from "../../messages.ts";
import type { Message } from "../../schemas.ts";
import { compact, first, flatten, issue, obj, str, tagsColumn } from "./_util.ts";
import type { Adapted, AdaptIssue, FormatAdapter } from "./types.ts";

function requestOf(v: Record<string, unknown>): Record<string, unknown> | undefined {
  return obj(v.request) ?? obj(v.body) ?? (v.messages || v.input ? v : undefined);
}

function responseOf(v: Record<string, unknown>): unknown {
  const r = first(v.response, v.completion);
  const o = obj(r);
  if (o && obj(o.body) && "status_code" in o) return o.body; // a Batch API output line
  if (r !== undefined) return r;
  return v.choices || v.output ? v : undefined;
}

/** A Responses API `input`: a string is one user turn; a list holds messages. */
function inputMessages(input: unknown): unknown[] | undefined {
  if (typeof input === "string") return [{ role: "user", content: input }];
  if (!Array.isArray(input)) return undefined;
  return input.filter((m) => obj(m) && (obj(m)!.type === undefined || obj(m)!.type === "message"))
    .map((m) => {
      const { type: _type, ...rest } = obj(m)!;
      return rest;
    });
}

/** The answer text of a Chat Completions or Responses object, or of a plain string. */
export function responseText(
  r: unknown,
): { text?: string | null; model?: string; created?: unknown; id?: string } {
  if (typeof r === "string") return { text: r };
  const o = obj(r);
  if (!o) return {};
  const meta = { model: str(o.model), created: first(o.created, o.created_at), id: str(o.id) };
  const choice = Array.isArray(o.choices) ? obj(o.choices[0]) : undefined;
  if (choice) {
    const m = obj(choice.message);
    if (m) return { ...meta, text: messageText(m as unknown as Message) };
    if (typeof choice.text === "string") return { ...meta, text: choice.text };
  }
  if (typeof o.output_text === "string") return { ...meta, text: o.output_text };
  if (Array.isArray(o.output)) {
    const parts: string[] = [];
    for (const item of o.output.map(obj)) {
      if (item?.type === "message" && Array.isArray(item.content)) {
        for (const c of item.content.map(obj)) {
          if (c?.type === "output_text" && typeof c.text === "string") parts.push(c.text);
          if (c?.type === "refusal" && typeof c.refusal === "string") {
            parts.push(`[refusal] ${c.refusal}`);
          }
        }
      } else if (item?.type === "function_call") {
        parts.push(`[tool call: ${item.name}(${item.arguments ?? ""})]`);
      }
    }
    return { ...meta, text: parts.join(" ") };
  }
  if (typeof o.content === "string" || o.role) {
    return { ...meta, text: messageText(o as unknown as Message) };
  }
  return meta;
}

function adaptOne(v: Record<string, unknown>): Adapted {
  const issues: AdaptIssue[] = [];
  const req = requestOf(v);
  const messages = req
    ? (Array.isArray(req.messages) ? req.messages : inputMessages(req.input))
    : undefined;
  const reqField = v.request ? "request" : v.body ? "body" : "";
  if (!messages) {
    issues.push(
      issue(
        reqField ? `${reqField}.messages` : "messages",
        "missing: an openai-chat record needs the request's messages (or a Responses API input)",
      ),
    );
  }
  const res = responseOf(v);
  const answer = responseText(res);
  const id = first(str(v.id), str(v.custom_id), answer.id, str(v.request_id));
  if (id === undefined) issues.push(issue("id", "missing: no id, custom_id or response id"));
  const ts = first(v.ts, v.timestamp, v.created_at, v.created, answer.created);
  if (ts === undefined) {
    issues.push(issue("ts", "missing: no ts, timestamp, created_at or response created"));
  }
  if (issues.length > 0) return { records: [], skipped: [], issues };
  const metadata = first(v.metadata, req?.metadata);
  return {
    records: [{
      where: "",
      record: compact({
        id: String(id),
        ts,
        messages,
        response: answer.text ?? (typeof res === "string" ? res : undefined),
        model: first(answer.model, str(req?.model), str(v.model)),
        feedback: v.feedback,
        topic: v.topic,
        conversation_id: first(str(v.conversation_id), str(v.session_id)),
        user_id: first(str(v.user_id), str(req?.user)),
        ...flatten(metadata, "metadata"),
        ...tagsColumn(v.tags),
      }),
    }],
    skipped: [],
    issues: [],
  };
}

/** The `openai-chat` adapter. */
export const openaiChat: FormatAdapter = {
  name: "openai-chat",
  documented:
    "the openai package's types: ChatCompletionCreateParams, ChatCompletion, Responses API Response; Batch API input/output lines",
  detect(value) {
    const v = obj(value);
    if (!v) return false;
    const req = requestOf(v);
    return req !== undefined && (Array.isArray(req.messages) || req.input !== undefined) &&
      responseOf(v) !== undefined && !("inputs" in v) && !("run_type" in v);
  },
  adapt(value) {
    const v = obj(value);
    if (!v) return { records: [], skipped: [], issues: [issue("", "expected a JSON object")] };
    return adaptOne(v);
  },
};
