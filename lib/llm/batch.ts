/**
 * The OpenAI Batch API for half-price bulk judging: upload the requests as
 * JSONL, create the batch, poll it, download the output and map each line
 * back to its item by `custom_id`.
 *
 * The batch id is kept in a state file (in the run's partial folder) from the
 * moment the batch exists, so a run stopped while the batch is pending, or
 * killed, resumes that batch when started again instead of paying twice; a
 * batch can also be resumed by id (`--batch-id`). Requests the batch could not
 * answer are left to the caller, which judges them directly.
 *
 * @module
 */
import { toFile } from "openai";
import type OpenAI from "openai";
import { usageError } from "../_errors.ts";
import type { Reporter } from "../reporter.ts";
import type { Message } from "../schemas.ts";
import type { ChatClient, ChatReply } from "./client.ts";

/** Options of a batch run. */
export interface BatchOptions {
  /** Resume this batch instead of creating one. @default the state file's, else a new batch */
  batchId?: string;
  /** Where the pending batch's id is kept for a rerun. @default none (no resume after a crash) */
  statePath?: string;
  /** Time between polls, in ms. @default 30000 */
  pollIntervalMs?: number;
  /** Stop waiting after this long; the batch keeps running and a rerun resumes it. @default 86400000 (24 h) */
  maxWaitMs?: number;
  /** Waits. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** One request of a batch. */
export interface BatchRequest {
  id: string;
  messages: readonly Message[];
}

/** What a batch run gave back. */
export interface BatchOutcome {
  batchId: string | null;
  /** The batch's last status (`completed`, `expired`, … or `pending` when we stopped waiting). */
  status: string;
  /** Usable replies by request id. */
  replies: Map<string, ChatReply>;
  /** Still running: the caller should not judge the items itself (a rerun resumes the batch). */
  pending: boolean;
  /** Forget the batch (remove the state file) once its replies are safely recorded. */
  forget(): Promise<void>;
}

/** The state file of a pending batch. */
interface BatchState {
  batch_id: string;
  input_file_id: string;
  requests: number;
  model: string;
}

const TERMINAL = new Set(["completed", "failed", "expired", "cancelled"]);

/** The JSONL body of a batch: one chat-completions request per line, `custom_id` = the item id. */
export function batchJsonl(
  requests: readonly BatchRequest[],
  body: { model: string; temperature: number; seed: number | null; responseFormat?: unknown },
): string {
  return requests.map((r) =>
    JSON.stringify({
      custom_id: r.id,
      method: "POST",
      url: "/v1/chat/completions",
      body: {
        model: body.model,
        messages: r.messages.map((m) => ({ role: m.role, content: m.content })),
        temperature: body.temperature,
        ...(body.seed !== null ? { seed: body.seed } : {}),
        ...(body.responseFormat ? { response_format: body.responseFormat } : {}),
      },
    }) + "\n"
  ).join("");
}

async function readState(path: string | undefined): Promise<BatchState | undefined> {
  if (!path) return undefined;
  try {
    return JSON.parse(await Deno.readTextFile(path)) as BatchState;
  } catch {
    return undefined;
  }
}

async function writeState(path: string | undefined, state: BatchState): Promise<void> {
  if (!path) return;
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")) || ".", { recursive: true });
  const tmp = `${path}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(state, null, 2) + "\n");
  await Deno.rename(tmp, path);
}

/** The fixed fields of a batch run. */
type BatchRun = BatchOptions & {
  client: ChatClient;
  model: string;
  temperature: number;
  seed: number | null;
  responseFormat?: unknown;
  reporter?: Reporter;
};

/** Upload the requests and create the batch; its id is saved before anything else. */
async function submitBatch(requests: readonly BatchRequest[], options: BatchRun): Promise<string> {
  const { client, reporter } = options;
  const openai = client.openai;
  const jsonl = batchJsonl(requests, options);
  const file = await client.call(async () =>
    openai.files.create({
      file: await toFile(new TextEncoder().encode(jsonl), "evalkit-batch.jsonl", {
        type: "application/jsonl",
      }),
      purpose: "batch",
    })
  );
  const created = await client.call(() =>
    openai.batches.create({
      input_file_id: file.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
      metadata: { source: "evalkit judge" },
    })
  );
  await writeState(options.statePath, {
    batch_id: created.id,
    input_file_id: file.id,
    requests: requests.length,
    model: options.model,
  });
  reporter?.info(`batch ${created.id}: ${requests.length} requests submitted`);
  return created.id;
}

/** Poll until the batch ends, or null when the wait ran out (the batch keeps running). */
async function pollBatch(id: string, options: BatchRun): Promise<OpenAI.Batch | null> {
  const { client, reporter } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = performance.now();
  const maxWait = options.maxWaitMs ?? 86_400_000;
  for (;;) {
    const batch = await client.call(() => client.openai.batches.retrieve(id));
    const counts = batch.request_counts;
    reporter?.progress(
      `batch ${id}: ${batch.status}${
        counts ? ` ${counts.completed}/${counts.total} done, ${counts.failed} failed` : ""
      }`,
    );
    if (TERMINAL.has(batch.status)) return batch;
    if (performance.now() - started >= maxWait) {
      reporter?.warn(
        `batch ${id} is still ${batch.status}: stopped waiting; run the same command again to resume it`,
      );
      return null;
    }
    await sleep(options.pollIntervalMs ?? 30_000);
  }
}

/** One line of a batch's output file as a reply, or null when it has none. */
function batchReply(line: string, structured: boolean): [string, ChatReply] | null {
  let row: {
    custom_id?: string;
    response?: { status_code?: number; body?: OpenAI.ChatCompletion } | null;
  };
  try {
    row = JSON.parse(line);
  } catch {
    return null;
  }
  const body = row.response?.body;
  if (!row.custom_id || row.response?.status_code !== 200 || !body?.choices) return null;
  const choice = body.choices[0];
  const usage = body.usage;
  return [row.custom_id, {
    content: choice?.message?.content ?? "",
    refusal: (choice?.message as { refusal?: string | null } | undefined)?.refusal ?? null,
    finishReason: choice?.finish_reason ?? null,
    usage: {
      prompt_tokens: usage?.prompt_tokens ?? 0,
      completion_tokens: usage?.completion_tokens ?? 0,
      total_tokens: usage?.total_tokens ?? (usage?.prompt_tokens ?? 0) +
          (usage?.completion_tokens ?? 0),
    },
    usageReported: usage !== undefined,
    latencyMs: 0,
    structured,
  }];
}

/** The usable replies of a finished batch, by request id. */
async function batchReplies(
  batch: OpenAI.Batch,
  options: BatchRun,
): Promise<Map<string, ChatReply>> {
  const replies = new Map<string, ChatReply>();
  const fileId = batch.output_file_id;
  if (!fileId) return replies;
  const { client } = options;
  const text = await client.call(async () =>
    await (await client.openai.files.content(fileId)).text()
  );
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const reply = batchReply(line, options.responseFormat !== undefined);
    if (reply) replies.set(reply[0], reply[1]);
  }
  return replies;
}

/**
 * Run requests through the Batch API (or resume a batch) and collect the replies.
 *
 * @param requests The requests (item id and messages).
 * @param options The client, the request body's fixed fields, state file, polling.
 * @throws {RangeError} A usage error when the batch failed as a whole (its errors in the message).
 */
export async function runBatch(
  requests: readonly BatchRequest[],
  options: BatchRun,
): Promise<BatchOutcome> {
  const state = await readState(options.statePath);
  const forget = async () => {
    if (options.statePath) await Deno.remove(options.statePath).catch(() => {});
  };
  let id = options.batchId ?? state?.batch_id;
  if (!id && requests.length === 0) {
    return { batchId: null, status: "empty", replies: new Map(), pending: false, forget };
  }
  if (!id) id = await submitBatch(requests, options);
  else options.reporter?.info(`batch ${id}: resuming`);
  const batch = await pollBatch(id, options);
  if (!batch) return { batchId: id, status: "pending", replies: new Map(), pending: true, forget };
  if (batch.status === "failed") {
    await forget();
    const errors = batch.errors?.data?.map((e) => e.message).filter(Boolean).slice(0, 3) ?? [];
    throw usageError(`Batch ${id} failed${errors.length ? `: ${errors.join("; ")}` : ""}`);
  }
  const replies = await batchReplies(batch, options);
  options.reporter?.info(`batch ${id}: ${batch.status}, ${replies.size} replies`);
  return { batchId: id, status: batch.status, replies, pending: false, forget };
}
