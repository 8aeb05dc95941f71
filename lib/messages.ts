/**
 * The one place text is derived from a query or a conversation in the OpenAI
 * chat shape. Dedupe, PII, the emitted SQL, the judge prompt, the review page,
 * the report and the regression checks all read text through these functions.
 *
 * Rules:
 * - a text part is its text; a refusal is `[refusal] text`; an image is
 *   `[image]`, a file `[file: name]`, audio `[audio]`; parts are joined by a space;
 * - an assistant turn's tool calls follow its text as `[tool call: name(arguments)]`;
 *   a tool result reads `[tool result] text`, a legacy function result
 *   `[function result: name] text`;
 * - the system and developer prompts are context, never the query;
 * - the query is the last user turn read with the earlier turns: the turns up
 *   to and including the last user turn, system and developer left out, joined
 *   by a line break. Turns after it (the answer being logged) are not the query.
 *
 * lib/sample/sql.ts computes exactly this text in DuckDB and PostgreSQL.
 *
 * @module
 */
import type { ContentPart, Message, ToolCall } from "./schemas.ts";

/** Roles that carry context (instructions), never the query. */
export const CONTEXT_ROLES: ReadonlySet<string> = new Set(["system", "developer"]);

/** The visible text of one content part. */
export function partText(part: ContentPart): string {
  switch (part.type) {
    case "text":
    case "input_text":
    case "output_text":
      return part.text;
    case "refusal":
      return `[refusal] ${part.refusal}`;
    case "image_url":
    case "input_image":
      return "[image]";
    case "file":
    case "input_file": {
      const name = part.file?.filename ?? part.filename;
      return name ? `[file: ${name}]` : "[file]";
    }
    case "input_audio":
      return "[audio]";
  }
}

/**
 * The text of a message's content: a string as is, `null` as "", parts joined by a space.
 *
 * @example
 * ```ts
 * import { contentText } from "./messages.ts";
 * const t = contentText([{ type: "text", text: "What is on" }, { type: "image_url", image_url: { url: "x" } }]);
 * if (t !== "What is on [image]") throw new Error(t);
 * ```
 */
export function contentText(content: Message["content"]): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  return content.map(partText).join(" ");
}

/**
 * The text of one turn, with its tool calls and tool results shown as such.
 *
 * @example
 * ```ts
 * import { messageText } from "./messages.ts";
 * const t = messageText({ role: "assistant", content: null,
 *   tool_calls: [{ id: "c1", type: "function", function: { name: "lookup", arguments: '{"n":1}' } }] });
 * if (t !== '[tool call: lookup({"n":1})]') throw new Error(t);
 * ```
 */
export function messageText(m: Message): string {
  const pieces: string[] = [];
  if (m.role === "tool") pieces.push("[tool result]");
  if (m.role === "function") pieces.push(`[function result: ${m.name ?? ""}]`);
  pieces.push(contentText(m.content));
  if (m.refusal) pieces.push(`[refusal] ${m.refusal}`);
  for (const c of m.tool_calls ?? []) {
    pieces.push(`[tool call: ${c.function.name}(${c.function.arguments})]`);
  }
  if (m.function_call) {
    pieces.push(`[tool call: ${m.function_call.name}(${m.function_call.arguments})]`);
  }
  return pieces.filter((p) => p !== "").join(" ");
}

/** The index of the last user turn, or the last turn when there is none. */
export function lastUserIndex(messages: readonly Message[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === "user") return i;
  return messages.length - 1;
}

/** The turns that make up the query: up to the last user turn, without system/developer turns. */
export function queryTurns(messages: readonly Message[]): Message[] {
  return messages.slice(0, lastUserIndex(messages) + 1).filter((m) => !CONTEXT_ROLES.has(m.role));
}

/** The system and developer prompts' text (context for the judge, never the query). */
export function contextText(messages: readonly Message[]): string {
  return messages.filter((m) => CONTEXT_ROLES.has(m.role)).map(messageText).join("\n");
}

/** Something that holds a query: a `query` string or `messages`. */
export interface HasQuery {
  query?: string | null;
  messages?: readonly Message[] | null;
}

/**
 * The text of a record's query: `query`, or its query turns' texts joined by a
 * line break. Dedupe, held-out matching and the emitted SQL use this text.
 *
 * @example
 * ```ts
 * import { queryText } from "./messages.ts";
 * const text = queryText({ messages: [
 *   { role: "system", content: "You are terse." },
 *   { role: "user", content: [{ type: "text", text: "What is on" }, { type: "image_url", image_url: { url: "x" } }] },
 * ] });
 * if (text !== "What is on [image]") throw new Error(text);
 * ```
 */
export function queryText(r: HasQuery): string {
  if (typeof r.query === "string") return r.query;
  return queryTurns(r.messages ?? []).map(messageText).join("\n");
}

/** The last user turn's text alone (the question being asked now). */
export function lastUserText(r: HasQuery): string {
  if (typeof r.query === "string") return r.query;
  const ms = r.messages ?? [];
  const i = lastUserIndex(ms);
  return i >= 0 && ms[i].role === "user" ? messageText(ms[i]) : "";
}

/** One turn as a step shows it: its role and its derived text. */
export interface Turn {
  role: Message["role"];
  text: string;
}

/**
 * The conversation as steps show it (review page, sheets, judge prompt): the
 * context turns and the query turns, each with its derived text; a plain
 * `query` is one user turn. Turns after the last user turn are left out.
 *
 * @example
 * ```ts
 * import { displayTurns } from "./messages.ts";
 * const turns = displayTurns({ messages: [{ role: "system", content: "Be brief." },
 *   { role: "user", content: [{ type: "text", text: "Hi" }] }, { role: "assistant", content: "Hello" }] });
 * if (turns.map((t) => `${t.role}: ${t.text}`).join("|") !== "system: Be brief.|user: Hi") throw new Error();
 * ```
 */
export function displayTurns(r: HasQuery): Turn[] {
  if (typeof r.query === "string" || !r.messages?.length) {
    return [{ role: "user", text: r.query ?? "" }];
  }
  const ms = r.messages;
  return ms.slice(0, lastUserIndex(ms) + 1).map((m) => ({ role: m.role, text: messageText(m) }));
}

/** A plain chat turn for a model endpoint. */
export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

/**
 * The conversation as plain text turns for a model endpoint (generate, judge):
 * system and developer as `system`, tool and function results as `user`
 * turns showing `[tool result] …`, assistant tool calls as text.
 */
export function chatTurns(r: HasQuery): ChatTurn[] {
  return displayTurns(r).map((t) => ({
    role: CONTEXT_ROLES.has(t.role) ? "system" : t.role === "assistant" ? "assistant" : "user",
    content: t.text,
  }));
}

/** The fields of a turn that carry free text. */
export interface TextCarrier {
  content?: Message["content"];
  refusal?: string | null;
  tool_calls?: ToolCall[];
  function_call?: { name: string; arguments: string };
}

/**
 * A copy of the messages with `fn` applied to every piece of free text they
 * carry (string content, text and refusal parts, refusals, tool-call
 * arguments), for anonymisation. Names, roles, ids and non-text parts are kept.
 */
export function mapMessageTexts<M extends TextCarrier>(
  messages: readonly M[],
  fn: (text: string) => string,
): M[] {
  return messages.map((m) => {
    const out: M = { ...m };
    if (typeof m.content === "string") out.content = fn(m.content);
    else if (Array.isArray(m.content)) {
      out.content = m.content.map((p) =>
        p.type === "text" || p.type === "input_text" || p.type === "output_text"
          ? { ...p, text: fn(p.text) }
          : p.type === "refusal"
          ? { ...p, refusal: fn(p.refusal) }
          : p
      );
    }
    if (m.refusal) out.refusal = fn(m.refusal);
    if (m.tool_calls) {
      out.tool_calls = m.tool_calls.map((c) => ({
        ...c,
        function: { ...c.function, arguments: fn(c.function.arguments) },
      }));
    }
    if (m.function_call) {
      out.function_call = { ...m.function_call, arguments: fn(m.function_call.arguments) };
    }
    return out;
  });
}
