/**
 * The floor for `deno task bench:judge`'s start-up figures: a bare script that
 * sends one chat completion with the openai package and exits.
 */
import OpenAI from "openai";

const client = new OpenAI({ baseURL: Deno.env.get("BENCH_URL"), apiKey: "bench" });
await client.chat.completions.create({
  model: "gpt-4o",
  messages: [{ role: "user", content: "Score this answer." }],
});
