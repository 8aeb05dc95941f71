/**
 * `--format langsmith`: LangSmith runs as its export and API return them (the
 * "Run (span) data format" page; the SDK's `Run` schema): `id`, `run_type`,
 * `start_time`, `inputs`, `outputs`, `extra.metadata`, `tags`,
 * `parent_run_id`, `session_name`, `feedback_stats` (per feedback key:
 * `n`, `avg`, …). One record per trace: runs with a `parent_run_id` are steps
 * inside a trace and are skipped (counted in a warning).
 *
 * @module
 */
import { responseText } from "./openai_chat.ts";
import { compact, first, flatten, isFeedbackName, issue, obj, str, tagsColumn } from "./_util.ts";
import type { Adapted, AdaptOptions, FormatAdapter } from "./types.ts";

const ROLE_OF_TYPE: Record<string, string> = {
  human: "user",
  user: "user",
  ai: "assistant",
  assistant: "assistant",
  system: "system",
  tool: "tool",
  function: "function",
  developer: "developer",
};

/** A LangChain message (plain `{type, content}` or serialised `{lc, id: [..., "HumanMessage"], kwargs}`) in the OpenAI shape. */
function langchainMessage(m: unknown): unknown {
  const o = obj(m);
  if (!o) return m;
  if (typeof o.role === "string") return o;
  const kw = obj(o.kwargs);
  const body = kw ?? o;
  let type = str(body.type) ?? str(o.type);
  if (Array.isArray(o.id)) {
    const cls = String(o.id[o.id.length - 1] ?? "");
    type = cls.replace(/MessageChunk$|Message$/, "").toLowerCase() || type;
  }
  const role = ROLE_OF_TYPE[type ?? ""] ?? type;
  const out: Record<string, unknown> = { role, content: body.content ?? null };
  if (body.tool_call_id) out.tool_call_id = body.tool_call_id;
  if (body.name) out.name = body.name;
  if (Array.isArray(body.tool_calls) && body.tool_calls.length > 0) {
    out.tool_calls = body.tool_calls.map((c) => {
      const t = obj(c) ?? {};
      return obj(t.function) ? t : {
        id: t.id,
        type: "function",
        function: { name: t.name, arguments: JSON.stringify(t.args ?? {}) },
      };
    });
  }
  return out;
}

const TEXT_KEYS = ["question", "query", "input", "prompt", "text", "message"];
const OUTPUT_KEYS = ["output", "answer", "text", "response", "result", "content"];

function onlyString(o: Record<string, unknown>): string | undefined {
  const strings = Object.values(o).filter((v) => typeof v === "string");
  return strings.length === 1 ? strings[0] as string : undefined;
}

/** The conversation or query a run's `inputs` hold. */
export function inputsText(
  inputs: Record<string, unknown>,
): { messages?: unknown[]; query?: string } {
  let msgs = inputs.messages;
  if (Array.isArray(msgs) && Array.isArray(msgs[0])) msgs = msgs[0]; // one prompt per batch entry
  if (Array.isArray(msgs) && msgs.length > 0) return { messages: msgs.map(langchainMessage) };
  for (const k of TEXT_KEYS) {
    if (typeof inputs[k] === "string") return { query: inputs[k] as string };
  }
  const one = onlyString(inputs);
  return one !== undefined ? { query: one } : {};
}

/** The answer a run's `outputs` hold. */
export function outputsText(outputs: unknown): string | undefined {
  if (typeof outputs === "string") return outputs;
  const o = obj(outputs);
  if (!o) return undefined;
  const gens = o.generations;
  if (Array.isArray(gens)) {
    const g = obj(Array.isArray(gens[0]) ? gens[0][0] : gens[0]);
    if (g && typeof g.text === "string" && g.text !== "") return g.text;
    if (g && g.message) return responseText(langchainMessage(g.message)).text ?? undefined;
  }
  if (o.choices || o.output_text || Array.isArray(o.output)) {
    return responseText(o).text ?? undefined;
  }
  for (const k of OUTPUT_KEYS) {
    const v = o[k];
    if (typeof v === "string") return v;
    if (obj(v)) return responseText(langchainMessage(v)).text ?? undefined;
  }
  if (Array.isArray(o.messages) && o.messages.length > 0) {
    return responseText(langchainMessage(o.messages[o.messages.length - 1])).text ?? undefined;
  }
  return onlyString(o);
}

/** The user's feedback in `feedback_stats`: the average score of the feedback key. */
function feedbackOf(
  stats: unknown,
  options: AdaptOptions,
): { value?: unknown; ignored: string[] } {
  const o = obj(stats);
  if (!o) return { ignored: [] };
  const names = Object.keys(o);
  const name = names.find((n) => isFeedbackName(n, options.feedbackKey));
  const ignored = names.filter((n) => n !== name);
  if (name === undefined) return { ignored };
  const s = obj(o[name]);
  return { value: s ? first(s.avg, s.score, s.value) : o[name], ignored };
}

/** The `langsmith` adapter. */
export const langsmith: FormatAdapter = {
  name: "langsmith",
  documented:
    'LangSmith docs "Run (span) data format"; the SDK\'s Run schema (feedback_stats: per key n, avg)',
  detect(value) {
    const v = obj(value);
    return !!v && "run_type" in v && ("inputs" in v || "start_time" in v);
  },
  adapt(value, options): Adapted {
    const v = obj(value);
    if (!v) return { records: [], skipped: [], issues: [issue("", "expected a JSON object")] };
    if (str(v.parent_run_id)) {
      return { records: [], skipped: ["a step inside a trace (parent_run_id set)"], issues: [] };
    }
    const issues = [];
    if (!str(v.id)) issues.push(issue("id", "missing"));
    if (v.start_time === undefined || v.start_time === null) {
      issues.push(issue("start_time", "missing"));
    }
    // No messages and no single text input: the record goes on without a query, so that
    // `--map query=inputs.KEY` can name it; the schema says "query: missing" otherwise.
    const inputs = obj(v.inputs);
    const text = inputs ? inputsText(inputs) : {};
    if (issues.length > 0) return { records: [], skipped: [], issues };
    const extra = obj(v.extra) ?? {};
    const meta = obj(extra.metadata) ?? {};
    const fb = feedbackOf(v.feedback_stats, options);
    return {
      records: [{
        where: "",
        record: compact({
          id: String(v.id),
          ts: v.start_time,
          ...text,
          response: outputsText(v.outputs) ?? null,
          model: first(str(meta.ls_model_name), str(obj(extra.invocation_params)?.model)),
          feedback: fb.value,
          conversation_id: first(
            str(meta.thread_id),
            str(meta.session_id),
            str(meta.conversation_id),
          ),
          user_id: first(str(meta.user_id)),
          session_name: str(v.session_name),
          name: str(v.name),
          ...flatten(meta, "metadata"),
          ...flatten(inputs, "inputs"),
          ...tagsColumn(v.tags),
        }),
      }],
      skipped: [],
      issues: [],
      ignoredFeedback: fb.ignored,
    };
  },
};
