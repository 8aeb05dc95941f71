/**
 * Spans as OTLP JSON holds them (opentelemetry-proto `examples/trace.json`:
 * `resourceSpans[].scopeSpans[].spans[]`, attributes as `KeyValue` lists,
 * times as `startTimeUnixNano`), one export request per line as the
 * Collector's file exporter writes, or one pretty-printed document. A plain
 * span object, or a list of them, with `attributes` already an object (as some
 * exporters and Phoenix write them, flat `llm.input_messages.0.message.role`
 * keys or nested) is read too.
 *
 * @module
 */
import { keyValues, nanosToIso, obj, str } from "./_util.ts";

/** One span, its attributes as one object, and where it sits in the raw value. */
export interface SpanView {
  where: string;
  id?: string;
  traceId?: string;
  name?: string;
  start?: string;
  /** The raw start time, when it is not an OTLP nanosecond value (ISO text, say). */
  startRaw?: unknown;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  events: { name?: string; attributes: Record<string, unknown> }[];
}

function view(
  span: Record<string, unknown>,
  where: string,
  resource: Record<string, unknown>,
): SpanView {
  const ctx = obj(span.context) ?? {};
  const startNs = span.startTimeUnixNano ?? span.start_time_unix_nano;
  return {
    where,
    id: str(span.spanId) ?? str(span.span_id) ?? str(ctx.span_id) ?? str(span.id),
    traceId: str(span.traceId) ?? str(span.trace_id) ?? str(ctx.trace_id),
    name: str(span.name),
    start: startNs !== undefined ? nanosToIso(startNs) : undefined,
    startRaw: startNs !== undefined ? startNs : span.start_time ?? span.startTime,
    attributes: keyValues(span.attributes),
    resource,
    events: (Array.isArray(span.events) ? span.events : []).map((e) => ({
      name: str(obj(e)?.name),
      attributes: keyValues(obj(e)?.attributes),
    })),
  };
}

/** Does this raw value hold OTLP spans (or span objects)? */
export function holdsSpans(value: unknown): boolean {
  const v = obj(value);
  if (v && Array.isArray(v.resourceSpans)) return true;
  const s = Array.isArray(value) ? obj(value[0]) : v;
  return !!s && "attributes" in s && ("spanId" in s || "span_id" in s || "context" in s);
}

/** Every span of an OTLP export request, a span object, or a list of span objects. */
export function spansOf(value: unknown): SpanView[] {
  const v = obj(value);
  if (v && Array.isArray(v.resourceSpans)) {
    const out: SpanView[] = [];
    v.resourceSpans.forEach((rs, i) => {
      const resource = keyValues(obj(obj(rs)?.resource)?.attributes);
      const scopes = obj(rs)?.scopeSpans ?? obj(rs)?.instrumentationLibrarySpans;
      (Array.isArray(scopes) ? scopes : []).forEach((ss, j) => {
        const spans = obj(ss)?.spans;
        (Array.isArray(spans) ? spans : []).forEach((s, k) => {
          const o = obj(s);
          if (o) out.push(view(o, `resourceSpans.${i}.scopeSpans.${j}.spans.${k}`, resource));
        });
      });
    });
    return out;
  }
  if (Array.isArray(value)) {
    return value.flatMap((s, i) => obj(s) ? [view(obj(s)!, String(i), {})] : []);
  }
  return v ? [view(v, "", {})] : [];
}

/** The path of an attribute of a span, for messages. */
export function attrField(span: SpanView, key: string): string {
  return `${span.where ? span.where + "." : ""}attributes.${key}`;
}
