import { describe, expect, it } from "vitest";
import { notificationsSchema } from "./config.ts";
import { matchingRoutes, quietUntil, rateAllowance } from "./router.ts";

const config = (input: unknown) => notificationsSchema.parse(input);

describe("routing", () => {
  const routes = config({
    channels: { phone: { type: "ntfy", url: "https://ntfy.sh", topic: "t" }, mail: { type: "ntfy", url: "https://ntfy.sh", topic: "m" } },
    routes: [
      { kinds: ["component"], minSeverity: "high", channels: ["phone"] },
      { kinds: ["verdict", "invoice.overdue"], components: ["payments api"], channels: ["mail"] },
    ],
  }).routes;

  it("by kind, least severity and component", () => {
    expect(matchingRoutes({ kind: "component", severity: "critical" }, routes)).toHaveLength(1);
    expect(matchingRoutes({ kind: "component", severity: "medium" }, routes)).toHaveLength(0);
    expect(matchingRoutes({ kind: "verdict", severity: "medium", componentName: "payments api" }, routes)).toHaveLength(1);
    expect(matchingRoutes({ kind: "verdict", severity: "medium", componentName: "web" }, routes)).toHaveLength(0);
    // A notice about no component passes a route that names components; kinds from other branches route by name.
    expect(matchingRoutes({ kind: "invoice.overdue", severity: "high" }, routes)).toHaveLength(1);
    expect(matchingRoutes({ kind: "verdict", severity: "low" }, routes)).toHaveLength(0);
  });

  it("holds what is not severe enough during quiet hours, across midnight and in the configured zone", () => {
    const quiet = { from: "22:00", to: "07:00", except: "critical" as const };
    const at = (iso: string) => Date.parse(iso);
    // 23:30 in Berlin (UTC+1 in January) is 22:30 UTC: inside; the hold ends at 07:00 Berlin = 06:00 UTC.
    expect(quietUntil(quiet, "high", at("2027-01-10T22:30:00Z"), "Europe/Berlin")).toBe(at("2027-01-11T06:00:00Z"));
    expect(quietUntil(quiet, "critical", at("2027-01-10T22:30:00Z"), "Europe/Berlin")).toBeUndefined();
    expect(quietUntil(quiet, "high", at("2027-01-10T12:00:00Z"), "Europe/Berlin")).toBeUndefined();
    // 05:59 UTC is 06:59 in Berlin: one minute left.
    expect(quietUntil(quiet, "low", at("2027-01-11T05:59:00Z"), "Europe/Berlin")).toBe(at("2027-01-11T06:00:00Z"));
    expect(quietUntil({ from: "09:00", to: "17:00", except: "high" }, "medium", at("2027-01-11T10:15:00Z"), "UTC")).toBe(
      at("2027-01-11T17:00:00Z"),
    );
  });

  it("counts a channel's rate limit over a sliding window", () => {
    const limit = { count: 3, perMinutes: 1 };
    expect(rateAllowance([], limit, 100_000)).toBe(3);
    expect(rateAllowance([50_000, 60_000], limit, 100_000)).toBe(1);
    expect(rateAllowance([10_000, 50_000, 60_000, 90_000], limit, 100_000)).toBe(0);
    expect(rateAllowance([10_000, 50_000, 60_000], limit, 200_000)).toBe(3);
  });
});

describe("the notifications section", () => {
  const issue = (input: unknown) => {
    const parsed = notificationsSchema.safeParse(input);
    if (parsed.success) return "ok";
    const first = parsed.error.issues[0]!;
    return `${first.path.join(".")}: ${first.message}`;
  };

  it("refuses secrets in the file, unknown channels and half an escalation, naming the field", () => {
    expect(issue({ channels: { ops: { type: "slack", webhookUrl: "https://hooks.slack.com/services/T/B/X" } } })).toBe(
      'channels.ops.webhookUrl: must come from the environment or the keystore, never the file: { "env": "NAME" } or { "keystore": "name" }',
    );
    expect(issue({ channels: { ops: { type: "slack", webhookUrl: { env: "SLACK" } } }, routes: [{ channels: ["pager"] }] })).toBe(
      'routes.0.channels.0: no channel is named "pager" (channels: ops)',
    );
    expect(
      issue({
        channels: { ops: { type: "slack", webhookUrl: { env: "SLACK" } } },
        routes: [{ channels: ["ops"], escalateAfterMinutes: 30 }],
      }),
    ).toBe("routes.0.escalateTo: `escalateAfterMinutes` and `escalateTo` go together");
    expect(issue({ channels: { ops: { type: "pager" } } })).toMatch(/^channels\.ops\.type: /);
    expect(issue({ channels: {}, quietHours: { from: "25:00", to: "07:00" } })).toBe(
      "quietHours.from: must be a time of day as HH:MM (24 h)",
    );
    expect(issue({ channels: {}, routes: [], timezone: "Mars/Olympus" })).toBe("timezone: must be an IANA time zone such as Europe/Berlin");
    expect(issue({ channels: {}, routes: [{ kinds: ["weather"], channels: [] }] })).toMatch(/^routes\.0\.kinds\.0: /);
    expect(
      issue({
        channels: { mail: { type: "email", host: "smtp.example.com", from: "a@b.c", to: ["me@example.com"], password: { env: "P" } } },
      }),
    ).toBe("channels.mail.password: `password` needs a `user`");
    expect(issue({ channels: { ops: { type: "slack", webhookUrl: { env: "SLACK" } } }, routes: [{ channels: ["ops"] }] })).toBe("ok");
  });
});
