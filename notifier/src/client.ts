/** The notifier's API as other processes (the CLI) read it, each answer checked. */
import { z } from "zod";

export const channelReportSchema = z.object({
  name: z.string(),
  type: z.string(),
  target: z.string(),
  sent24h: z.number(),
  failed24h: z.number(),
  pending: z.number(),
  lastSentAt: z.number().nullable(),
  lastError: z.object({ at: z.number(), error: z.string(), final: z.boolean() }).nullable(),
});
export type ChannelReportRow = z.infer<typeof channelReportSchema>;

export class NotifierClient {
  readonly url: string;
  constructor(url: string) {
    this.url = url.replace(/\/+$/, "");
  }

  private async json(path: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(30_000), ...init });
    } catch {
      throw new Error(`no notifier answers at ${this.url}; is \`pnpm start\` running? (SOVR_NOTIFIER_PORT)`);
    }
    return { status: response.status, body: await response.json().catch(() => undefined) };
  }

  async channels(): Promise<ChannelReportRow[]> {
    const { body } = await this.json("/api/channels");
    return z.object({ channels: z.array(channelReportSchema) }).parse(body).channels;
  }

  async test(channel: string): Promise<{ ok: boolean; ms: number; error?: string | undefined }> {
    const { status, body } = await this.json(`/api/channels/${encodeURIComponent(channel)}/test`, { method: "POST" });
    if (status !== 200) throw new Error((body as { error?: string } | undefined)?.error ?? `the notifier answered ${status}`);
    return z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() }).parse(body);
  }
}
