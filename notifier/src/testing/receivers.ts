/**
 * For tests and the bench: real local receivers for every channel, on 127.0.0.1. An HTTP receiver
 * answers the way its service does (Slack "ok", Discord the message, ntfy the published event,
 * Telegram `{ok: true}`, a webhook 200); an SMTP server (smtp-server) accepts mail like an MTA: a
 * message counts only once its 250 is sent, and one whose connection drops before that is discarded.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type ReceivedRequest = { path: string; headers: IncomingHttpHeaders; body: string; json: unknown; at: number };
export type HttpReply = { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number };

const DEFAULT_BODIES: Record<string, unknown> = {
  slack: "ok",
  discord: { id: "1", type: 0, content: "" },
  ntfy: { id: "x", event: "message" },
  telegram: { ok: true, result: { message_id: 1 } },
  webhook: { ok: true },
};

export type HttpReceiver = {
  url: string;
  received: ReceivedRequest[];
  /** Changes what the receiver answers (the default: 200 with the service's body). */
  respond(reply: (request: ReceivedRequest) => HttpReply): void;
  close(): Promise<void>;
};

/** A receiver of one kind of channel; `received` records each request in full as it arrived. */
export async function startHttpReceiver(kind: keyof typeof DEFAULT_BODIES): Promise<HttpReceiver> {
  const received: ReceivedRequest[] = [];
  let responder: (request: ReceivedRequest) => HttpReply = () => ({ status: 200 });
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const recorded = { path: request.url ?? "", headers: request.headers, body, json, at: Date.now() };
      const reply = responder(recorded);
      // What a service does with a request does not depend on whether its client waits for the answer.
      if (reply.status >= 200 && reply.status < 300) received.push(recorded);
      const send = () => {
        if (response.destroyed) return;
        const answer = reply.body ?? DEFAULT_BODIES[kind];
        response.writeHead(reply.status, {
          "content-type": typeof answer === "string" ? "text/plain" : "application/json",
          ...reply.headers,
        });
        response.end(typeof answer === "string" ? answer : JSON.stringify(answer));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, "127.0.0.1", resolveListen));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    respond(next) {
      responder = next;
    },
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

export type ReceivedMail = { from: string; to: string[]; raw: string; subject: string; messageId: string; delivery: string; at: number };

export type SmtpReceiver = {
  port: number;
  received: ReceivedMail[];
  /** Delay before the server answers 250 to a message (ms). */
  delay(ms: number): void;
  close(): Promise<void>;
};

const header = (raw: string, name: string) => new RegExp(`^${name}:\\s*(.*)$`, "im").exec(raw)?.[1]?.trim() ?? "";

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  let delayMs = 0;
  const closed = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let raw = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => (raw += chunk));
      stream.on("end", () => {
        const accept = () => {
          // An MTA keeps a message only once it answers 250; a connection lost before that loses it.
          if (closed.has(session.id)) return callback(new Error("connection lost"));
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
            subject: header(raw, "Subject"),
            messageId: header(raw, "Message-ID"),
            delivery: header(raw, "X-Sovr-Delivery"),
            at: Date.now(),
          });
          callback();
        };
        if (delayMs) setTimeout(accept, delayMs);
        else accept();
      });
    },
    onClose(session) {
      closed.add(session.id);
    },
  });
  await new Promise<void>((resolveListen) => server.listen(0, "127.0.0.1", () => resolveListen()));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    delay(ms) {
      delayMs = ms;
    },
    close: () => new Promise((resolveClose) => server.close(() => resolveClose())),
  };
}
