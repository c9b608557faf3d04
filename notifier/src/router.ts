/**
 * Routing, pure: which routes carry a notice, when quiet hours end, whether a delivery repeats what a
 * channel was just told, and how many messages a channel may still send now. `notifier.ts` applies
 * these to the journal's state.
 */
import type { NotificationsConfig, QuietHours, RouteConfig } from "./config.ts";
import { atLeast, type Severity } from "./kinds.ts";

export type Routable = { kind: string; severity: Severity; componentName?: string | undefined };

/** The routes that carry a notice: its kind, at least the route's severity, and its component if the route names components. */
export function matchingRoutes(notice: Routable, routes: RouteConfig[]): RouteConfig[] {
  return routes.filter(
    (route) =>
      (!route.kinds || route.kinds.includes(notice.kind)) &&
      atLeast(notice.severity, route.minSeverity as Severity) &&
      (!route.components || notice.componentName === undefined || route.components.includes(notice.componentName)),
  );
}

/** Minutes since midnight of a moment in a time zone (the host's when none is given). */
function minutesOfDay(at: number, timezone: string | undefined): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(at));
  const hour = Number(parts.find((part) => part.type === "hour")?.value ?? 0);
  const minute = Number(parts.find((part) => part.type === "minute")?.value ?? 0);
  return hour * 60 + minute;
}

const clockMinutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/**
 * When the quiet hours around `at` end (ms), or undefined when `at` is not inside them or the
 * severity is high enough to go out anyway. `from` > `to` spans midnight (22:00-07:00).
 */
export function quietUntil(
  quiet: QuietHours | undefined,
  severity: Severity,
  at: number,
  timezone: string | undefined,
): number | undefined {
  if (!quiet || atLeast(severity, quiet.except as Severity)) return undefined;
  const now = minutesOfDay(at, timezone);
  const from = clockMinutes(quiet.from);
  const to = clockMinutes(quiet.to);
  if (from === to) return undefined;
  const inside = from < to ? now >= from && now < to : now >= from || now < to;
  if (!inside) return undefined;
  const minutesLeft = (to - now + 24 * 60) % (24 * 60);
  // To the start of the minute `to` names.
  return Math.floor(at / 60_000) * 60_000 + minutesLeft * 60_000;
}

/** The quiet hours that apply to a route: its own, none (`false`), or the section's. */
export function quietHoursOf(route: RouteConfig | undefined, config: NotificationsConfig): QuietHours | undefined {
  if (route?.quietHours === false) return undefined;
  return route?.quietHours ?? config.quietHours;
}

/** The rate limit of a channel: its own or the section's. */
export function rateLimitOf(config: NotificationsConfig, channel: string): { count: number; perMinutes: number } {
  return config.channels[channel]?.rateLimit ?? config.rateLimit;
}

/** How many messages a channel may send at `now`, given the times (ms) of what it sent. */
export function rateAllowance(sentTimes: number[], limit: { count: number; perMinutes: number }, now: number): number {
  const since = now - limit.perMinutes * 60_000;
  return Math.max(0, limit.count - sentTimes.filter((at) => at > since).length);
}

/** When the next message may go once the allowance is spent (ms). */
export function nextAllowedAt(sentTimes: number[], limit: { count: number; perMinutes: number }, now: number): number {
  const since = now - limit.perMinutes * 60_000;
  const recent = sentTimes.filter((at) => at > since).sort((a, b) => a - b);
  const oldest = recent[recent.length - limit.count];
  return oldest === undefined ? now : oldest + limit.perMinutes * 60_000;
}
