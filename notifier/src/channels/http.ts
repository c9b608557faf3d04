/**
 * A POST whose commit point is known: the whole request but its last byte is handed to the kernel,
 * then `onCommit` runs (the notifier journals the delivery there, durably), then the last byte goes.
 * A receiver never acts on a request it has not received in full, so a notifier killed before the
 * journal write has sent nothing the receiver acted on (it is sent again after a restart), and one
 * killed after it has sent a complete request (it is not sent again). The window left between them is
 * the one `write` of the last byte.
 */
import http from "node:http";
import https from "node:https";

export type HttpAnswer = { status: number; body: string; headers: http.IncomingHttpHeaders };

/** An answer the receiver gave, or no answer at all; `retriable` tells whether trying again may help. */
export class DeliveryError extends Error {
  readonly retriable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { retriable: boolean; status?: number | undefined; retryAfterMs?: number | undefined }) {
    super(message);
    this.retriable = options.retriable;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

const MAX_ANSWER_BYTES = 64 * 1024;

export function postCommitted(
  url: string,
  body: string,
  headers: Record<string, string>,
  onCommit: () => void,
  timeoutMs = 10_000,
): Promise<HttpAnswer> {
  const target = new URL(url);
  const payload = Buffer.from(body);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    const request = client.request(
      target,
      {
        method: "POST",
        headers: { "user-agent": "sovr-notifier", ...headers, "content-length": String(payload.length) },
        // One connection per delivery: a pooled socket closed by the server would fail a committed request.
        agent: false,
      },
      (response) => {
        let answer = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          if (answer.length < MAX_ANSWER_BYTES) answer += chunk;
        });
        response.on("end", () => {
          if (settled) return;
          settled = true;
          resolve({ status: response.statusCode ?? 0, body: answer, headers: response.headers });
        });
        response.on("error", fail);
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new DeliveryError(`no answer within ${timeoutMs} ms`, { retriable: true })));
    request.on("error", (error) =>
      fail(error instanceof DeliveryError ? error : new DeliveryError(`${error.message} (${target.host})`, { retriable: true })),
    );
    request.write(payload.subarray(0, payload.length - 1), (error) => {
      if (error || settled) return;
      try {
        onCommit();
      } catch (commitError) {
        request.destroy(commitError as Error);
        return;
      }
      request.end(payload.subarray(payload.length - 1));
    });
  });
}

/** Throws the right DeliveryError unless the answer is a 2xx. */
export function expectSuccess(answer: HttpAnswer, what: string): void {
  if (answer.status >= 200 && answer.status < 300) return;
  const retriable = answer.status === 408 || answer.status === 425 || answer.status === 429 || answer.status >= 500;
  const retryAfter = Number(answer.headers["retry-after"]);
  throw new DeliveryError(`${what} answered ${answer.status}${answer.body ? `: ${answer.body.slice(0, 160).trim()}` : ""}`, {
    retriable,
    status: answer.status,
    retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  });
}
