/**
 * One message as every channel receives it, and the plain-text forms channels share. Text that came
 * from the chain (component names, signal messages, verdict summaries) is data: each channel escapes
 * it for its own markup so it can neither ping anyone nor fake a link.
 */
import type { Severity } from "./kinds.ts";

export type Message = {
  /** Unique per notice, channel and occurrence (first send, repeat n, escalation): receivers deduplicate on it. */
  deliveryId: string;
  /** The audit event (or test) the message is about. */
  noticeId: string;
  kind: string;
  severity: Severity;
  title: string;
  text: string;
  /** The item in the command center. */
  link: string;
  /** Block time of the event, Unix seconds. */
  at: number;
  component?: string | undefined;
  /** 1, 2, ... for repeats of an unacknowledged notice. */
  repeat?: number | undefined;
  escalated?: boolean | undefined;
  /** A channel test from Settings or the CLI. */
  test?: boolean | undefined;
  /** Notices held back by the rate limit (or quiet hours) and sent together. */
  digest?: { title: string; severity: Severity; link: string }[] | undefined;
};

/** The subject line: severity, repeat or escalation, title. */
export function subjectOf(message: Message): string {
  const flags = [
    message.test ? "TEST" : undefined,
    message.escalated ? "ESCALATED" : undefined,
    message.repeat ? `REPEAT ${message.repeat}` : undefined,
  ].filter(Boolean);
  return `[${message.severity.toUpperCase()}${flags.length ? ` ${flags.join(" ")}` : ""}] ${message.title}`;
}

/** The body as plain text (what email, Telegram and ntfy show). */
export function plainText(message: Message, { link = true } = {}): string {
  const lines = [message.text];
  if (message.digest?.length) {
    for (const item of message.digest.slice(0, 20)) lines.push(`- [${item.severity.toUpperCase()}] ${item.title}`);
    if (message.digest.length > 20) lines.push(`- and ${message.digest.length - 20} more`);
  }
  if (message.repeat) lines.push("Not acknowledged yet: acknowledge it in the command center to stop the repeats.");
  if (link) lines.push(`Open: ${message.link}`);
  lines.push(`(${new Date(message.at * 1000).toISOString()}, ref ${message.deliveryId})`);
  return lines.filter((line) => line !== "").join("\n");
}

/** Cuts text to `max` characters, saying so. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 12)}… (cut)`;
}
