/**
 * The notifier's channels as Settings shows them: what each sent and failed in 24 h, what waits, the
 * last error, and a button that sends a test message now. Read from the notifier's API (its address
 * comes from /config.json); no secret ever reaches the page.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { useApp } from "../lib/context.tsx";
import { Badge, Button, Empty, timeAgo } from "./ui.tsx";

type ChannelRow = {
  name: string;
  type: string;
  target: string;
  sent24h: number;
  failed24h: number;
  pending: number;
  lastSentAt: number | null;
  lastError: { at: number; error: string; final: boolean } | null;
};

const isChannels = (value: unknown): value is { channels: ChannelRow[] } =>
  typeof value === "object" && value !== null && Array.isArray((value as { channels?: unknown }).channels);

export function NotificationChannels() {
  const { config } = useApp();
  const url = config.notifierUrl;
  const channels = useQuery({
    queryKey: ["notifier-channels", url],
    enabled: url !== undefined,
    queryFn: async ({ signal }) => {
      const response = await fetch(`${url}/api/channels`, { signal });
      const body: unknown = await response.json();
      if (!response.ok || !isChannels(body)) throw new Error(`the notifier answered ${response.status}`);
      return body.channels;
    },
    refetchInterval: 5000,
    retry: false,
  });
  if (!url) return <Empty>No notifier runs with this deployment.</Empty>;
  if (channels.isError)
    return (
      <p className="text-sm text-red-300">
        The notifier does not answer at {url}: {(channels.error as Error).message}.
      </p>
    );
  if (!channels.data) return <p className="text-sm text-gray-400">Loading…</p>;
  if (channels.data.length === 0)
    return (
      <Empty>No channels yet: add notifications.channels and routes to sovr.config (webhook, Slack, Discord, ntfy, Telegram, email).</Empty>
    );
  return (
    <table className="w-full text-sm" data-testid="notification-channels">
      <thead className="text-left text-xs text-gray-400">
        <tr>
          <th className="py-1">Channel</th>
          <th>Sent 24 h</th>
          <th>Failed 24 h</th>
          <th>Waiting</th>
          <th>Last error</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {channels.data.map((channel) => (
          <ChannelLine key={channel.name} channel={channel} url={url} />
        ))}
      </tbody>
    </table>
  );
}

function ChannelLine({ channel, url }: { channel: ChannelRow; url: string }) {
  const test = useMutation({
    mutationFn: async () => {
      const response = await fetch(`${url}/api/channels/${encodeURIComponent(channel.name)}/test`, { method: "POST" });
      const body = (await response.json()) as { ok?: boolean; ms?: number; error?: string };
      if (!response.ok) throw new Error(body.error ?? `the notifier answered ${response.status}`);
      return body;
    },
  });
  return (
    <tr className="border-t border-gray-700 align-top" data-testid={`channel-${channel.name}`}>
      <td className="py-1.5">
        <div className="font-medium">{channel.name}</div>
        <div className="text-xs text-gray-500">
          {channel.type} · {channel.target}
        </div>
      </td>
      <td>{channel.sent24h}</td>
      <td>{channel.failed24h > 0 ? <Badge tone="red">{channel.failed24h}</Badge> : 0}</td>
      <td>{channel.pending}</td>
      <td className="max-w-xs text-xs text-red-300">
        {channel.lastError
          ? `${timeAgo(Math.floor(channel.lastError.at / 1000))}: ${channel.lastError.error}${channel.lastError.final ? " (gave up)" : " (retried)"}`
          : ""}
      </td>
      <td className="text-right">
        <Button small disabled={test.isPending} onClick={() => test.mutate()} testId={`test-${channel.name}`}>
          Test
        </Button>
        <div className="text-xs" role="status">
          {test.data ? (
            test.data.ok ? (
              <span className="text-emerald-300">sent ({test.data.ms} ms)</span>
            ) : (
              <span className="text-red-300">{test.data.error}</span>
            )
          ) : null}
          {test.error ? <span className="text-red-300">{(test.error as Error).message}</span> : null}
        </div>
      </td>
    </tr>
  );
}
