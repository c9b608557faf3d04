/**
 * The assistant's HTTP side on 127.0.0.1, which the command center's chat panel calls (the Gemini key
 * stays here, never in the page): `POST /api/ask` `{question, history?}`, `GET /health` (whether a
 * key is set). Browsers may call it from the command center's origin only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback } from "@sovr/runtime";
import { z } from "zod";
import { type Assistant, MAX_QUESTION_CHARS } from "./assistant.ts";
import { NO_KEY } from "./config.ts";

const askSchema = z.object({
  question: z.string().min(1).max(MAX_QUESTION_CHARS),
  history: z
    .array(z.object({ role: z.enum(["owner", "assistant"]), text: z.string().max(20_000) }))
    .max(50)
    .default([]),
});

const MAX_BODY = 256 * 1024;

export type AssistantServer = { url: string; close(): Promise<void> };

export async function startAssistantServer(options: {
  port: number;
  assistant: Assistant;
  allowedOrigins: string[];
}): Promise<AssistantServer> {
  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string>) =>
    response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers }).end(JSON.stringify(body));
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const origin = request.headers.origin;
    const cors: Record<string, string> =
      origin && options.allowedOrigins.includes(origin)
        ? {
            "access-control-allow-origin": origin,
            vary: "origin",
            "access-control-allow-methods": "GET, POST",
            "access-control-allow-headers": "content-type",
          }
        : {};
    if (origin && !cors["access-control-allow-origin"])
      return send(response, 403, { error: `origin ${origin} may not call the assistant` }, {});
    const path = new URL(request.url ?? "/", "http://assistant").pathname;
    if (request.method === "OPTIONS") {
      response.writeHead(204, cors).end();
      return;
    }
    if (request.method === "GET" && path === "/health") {
      return send(
        response,
        200,
        {
          status: "OK",
          gemini: options.assistant.enabled,
          model: options.assistant.model ?? null,
          ...(options.assistant.enabled ? {} : { note: NO_KEY }),
        },
        cors,
      );
    }
    if (request.method === "POST" && path === "/api/ask") {
      let raw = "";
      for await (const chunk of request) {
        raw += chunk;
        if (raw.length > MAX_BODY) return send(response, 413, { ok: false, error: "the request is too large" }, cors);
      }
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return send(response, 400, { ok: false, error: "the request is not JSON" }, cors);
      }
      const parsed = askSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return send(response, 400, { ok: false, error: `${issue.path.join(".") || "request"}: ${issue.message}` }, cors);
      }
      const answer = await options.assistant.ask(parsed.data.question, parsed.data.history);
      return send(response, 200, answer, cors);
    }
    send(response, 404, { error: "not found" }, cors);
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      send(response, 500, { ok: false, error: (error as Error).message.split("\n")[0] }, {}),
    );
  });
  return listenOnLoopback(server, options.port, "assistant", "SOVR_ASSISTANT_PORT");
}
