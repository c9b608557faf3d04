/**
 * For tests (the guardian's and the assistant's): an HTTP server on 127.0.0.1 speaking Gemini's REST wire format
 * (`POST /v1[beta]/models/{model}:generateContent`), so the real `@google/genai` SDK talks to it via
 * `httpOptions.baseUrl`. Each request is recorded; each reply is whatever the test's responder says.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: GenerateContentBody };

/** The parts of a generateContent request body the tests look at. */
export type Part = {
  text: string;
  functionCall?: { name: string; args?: Record<string, unknown>; id?: string };
  functionResponse?: { name: string; response: Record<string, unknown>; id?: string };
};
export type GenerateContentBody = {
  contents: { role: string; parts: Part[] }[];
  systemInstruction?: { parts: { text: string }[] };
  generationConfig?: { temperature?: number; responseMimeType?: string; responseJsonSchema?: unknown; candidateCount?: number };
  tools?: { functionDeclarations?: { name: string; description?: string; parametersJsonSchema?: unknown }[] }[];
};

export type Reply = { status: number; body: unknown; delayMs?: number };
export type Responder = (request: RecordedRequest) => Reply;

/** A successful reply carrying `text` as the model's answer. */
export const textReply = (text: string): Reply => ({
  status: 200,
  body: {
    candidates: [{ content: { role: "model", parts: [{ text }] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 20, totalTokenCount: 120 },
    modelVersion: "gemini-2.5-flash",
  },
});

/** A reply in which the model calls functions (one part per call). */
export const functionCallReply = (...calls: { name: string; args: Record<string, unknown> }[]): Reply => ({
  status: 200,
  body: {
    candidates: [{ content: { role: "model", parts: calls.map((call) => ({ functionCall: call })) }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 20, totalTokenCount: 120 },
    modelVersion: "gemini-2.5-flash",
  },
});

/** A reply with the verdict as JSON text. */
export const verdictReply = (verdict: Record<string, unknown>): Reply => textReply(JSON.stringify(verdict));

/** What Gemini answers when the prompt itself is blocked: no candidates, a block reason. */
export const blockedReply = (): Reply => ({
  status: 200,
  body: { promptFeedback: { blockReason: "PROHIBITED_CONTENT" }, usageMetadata: { promptTokenCount: 100 } },
});

export const errorReply = (status: number, message: string): Reply => ({
  status,
  body: { error: { code: status, message, status: status === 429 ? "RESOURCE_EXHAUSTED" : "INTERNAL" } },
});

export type GeminiWireServer = {
  url: string;
  requests: RecordedRequest[];
  respond(responder: Responder): void;
  close(): Promise<void>;
};

export async function startGeminiWireServer(initial: Responder): Promise<GeminiWireServer> {
  let responder = initial;
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    request.on("end", () => {
      const recorded: RecordedRequest = {
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body: JSON.parse(raw || "{}") as GenerateContentBody,
      };
      requests.push(recorded);
      const reply = responder(recorded);
      const send = () => {
        if (response.destroyed) return;
        response.writeHead(reply.status, { "content-type": "application/json" });
        response.end(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, "127.0.0.1", resolveListen));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
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
