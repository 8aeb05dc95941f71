/**
 * What failed, in words a user can act on: a refused connection, DNS, TLS, a
 * timeout, a dropped connection, 401/403 (the key), 404 (model or path), 400
 * (the endpoint's own message), 429 and 5xx are told apart, always with the
 * endpoint's host (never the key: messages are redacted by the client first).
 * No npm import here, so the CLI can tell an {@link EndpointError} cheaply;
 * the reason of an SDK error is read in `retry.ts` (`failureReason`).
 *
 * @module
 */

/** Why a request failed. */
export type FailureReason =
  | "connection_refused"
  | "dns"
  | "tls"
  | "timeout"
  | "connection"
  | "auth"
  | "forbidden"
  | "not_found"
  | "bad_request"
  | "rate_limit"
  | "server_error"
  | "bad_reply"
  | "other";

/** The reasons that say the endpoint cannot be reached at all. */
export const UNREACHABLE: ReadonlySet<FailureReason> = new Set([
  "connection_refused",
  "dns",
  "tls",
]);

/** `host:port` of an endpoint URL (no credentials, path or query). */
export function endpointHost(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return "(invalid URL)";
  }
}

/**
 * One sentence saying what failed and where.
 *
 * @param reason Why.
 * @param endpoint The endpoint URL (its host is named).
 * @param detail The endpoint's own message or the network error, already redacted.
 * @param status The HTTP status, if any.
 */
export function describeFailure(
  reason: FailureReason,
  endpoint: string,
  detail: string,
  status: number | null = null,
): string {
  const host = endpointHost(endpoint);
  const http = status ? `HTTP ${status} from ${host}` : host;
  const own = detail.replace(/^\d{3}\s+/, "").trim();
  switch (reason) {
    case "connection_refused":
      return `connection refused by ${host}: is the server running, and is the endpoint right?`;
    case "dns":
      return `cannot resolve the host of ${host} (DNS lookup failed): check the endpoint`;
    case "tls":
      return `TLS handshake with ${host} failed (an http:// server addressed as https://, or a bad certificate)`;
    case "timeout":
      return `no reply from ${host} in time (timeout): raise --timeout or lower --concurrency`;
    case "connection":
      return `the connection to ${host} dropped: ${own}`;
    case "auth":
      return `${http}: the API key was refused (check OPENAI_API_KEY): ${own}`;
    case "forbidden":
      return `${http}: the key has no access to this model: ${own}`;
    case "not_found":
      return `${http}: unknown model or path (check the model name and the endpoint): ${own}`;
    case "bad_request":
      return `${http}: the request was refused: ${own}`;
    case "rate_limit":
      return `${http}: rate limited (429): ${own}`;
    case "server_error":
      return `${http}: server error: ${own}`;
    case "bad_reply":
      return `${host} sent a reply that is not valid JSON: ${own}`;
    default:
      return `request to ${host} failed: ${own}`;
  }
}

/** The error that stops a run: the endpoint refuses every request the same way. */
export class EndpointError extends Error {
  readonly reason: FailureReason;
  readonly status: number | null;
  readonly host: string;
  constructor(
    info: { reason: FailureReason; status: number | null; message: string; detail?: string },
    endpoint: string,
    prefix = "The endpoint refused the run",
  ) {
    const detail = info.detail ?? info.message;
    super(`${prefix}: ${describeFailure(info.reason, endpoint, detail, info.status)}`);
    this.name = "EndpointError";
    this.reason = info.reason;
    this.status = info.status;
    this.host = endpointHost(endpoint);
  }
}

/** Failed requests by reason, e.g. `{ rate_limit: 3, server_error: 1 }`. */
export type FailureSummary = Partial<Record<FailureReason, number>>;

/** The failures counted in `after` and not in `before`, by reason in name order. */
export function failuresSince(before: FailureSummary, after: FailureSummary): FailureSummary {
  const out: FailureSummary = {};
  const entries = Object.entries(after) as [FailureReason, number][];
  for (const [reason, n] of entries.sort(([a], [b]) => a < b ? -1 : 1)) {
    const d = n - (before[reason] ?? 0);
    if (d > 0) out[reason] = d;
  }
  return out;
}
