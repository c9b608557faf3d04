/**
 * The `notifications` section of the host configuration (`sovr.config.ts`/`.json`): channels, routes,
 * quiet hours, deduplication, rate limits, escalation. `sovr up` validates it with the rest of the file
 * (supervisor/src/config.ts names the file, the field and the reason) and hands it to the notifier.
 * Secrets are never in the file: a field that carries one takes `{ "env": NAME }` or `{ "keystore": name }`.
 */
import { secretRefSchema } from "@sovr/runtime/secrets";
import { z } from "zod";
import { noticeKinds, SEVERITIES } from "./kinds.ts";

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const severity = z.enum(SEVERITIES);
const minutes = z
  .number()
  .positive()
  .max(7 * 24 * 60);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day as HH:MM (24 h)");
const timezone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "must be an IANA time zone such as Europe/Berlin");

const rateLimitSchema = z
  .object({
    /** Messages a channel sends at most in `perMinutes`; beyond that the rest wait and go as one digest. */
    count: z.number().int().min(1).max(1000),
    perMinutes: minutes,
  })
  .strict();

const common = {
  rateLimit: rateLimitSchema.optional(),
};

const webhookChannel = z
  .object({
    type: z.literal("webhook"),
    url: z.union([httpUrl, secretRefSchema]),
    /** HMAC-SHA256 key for the `X-Sovr-Signature` header. */
    secret: secretRefSchema,
    ...common,
  })
  .strict();
const slackChannel = z.object({ type: z.literal("slack"), webhookUrl: secretRefSchema, ...common }).strict();
const discordChannel = z.object({ type: z.literal("discord"), webhookUrl: secretRefSchema, ...common }).strict();
const ntfyChannel = z
  .object({
    type: z.literal("ntfy"),
    /** The ntfy server (https://ntfy.sh or your own). */
    url: httpUrl,
    topic: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/, "must be an ntfy topic (letters, digits, - and _)"),
    /** An access token, for protected topics. */
    token: secretRefSchema.optional(),
    ...common,
  })
  .strict();
const telegramChannel = z
  .object({
    type: z.literal("telegram"),
    botToken: secretRefSchema,
    chatId: z.union([z.string().regex(/^-?\d+$|^@\w+$/, "must be a chat id (digits) or @channelname"), z.number().int()]),
    /** The Bot API's address (https://api.telegram.org unless you run your own). */
    apiUrl: httpUrl.default("https://api.telegram.org"),
    ...common,
  })
  .strict();
const emailChannel = z
  .object({
    type: z.literal("email"),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535).default(587),
    /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    user: z.string().min(1).optional(),
    password: secretRefSchema.optional(),
    from: z.string().min(3),
    to: z.array(z.email({ error: "must be an email address" })).min(1),
    ...common,
  })
  .strict()
  .refine((channel) => channel.password === undefined || channel.user !== undefined, {
    message: "`password` needs a `user`",
    path: ["password"],
  });

export const channelSchema = z.discriminatedUnion("type", [
  webhookChannel,
  slackChannel,
  discordChannel,
  ntfyChannel,
  telegramChannel,
  emailChannel,
]);
export type ChannelConfig = z.infer<typeof channelSchema>;

const quietHoursSchema = z
  .object({
    from: clock,
    to: clock,
    /** Notifications of this severity or above still go out at night (critical by default). */
    except: severity.default("critical"),
  })
  .strict();
export type QuietHours = z.infer<typeof quietHoursSchema>;

export const routeSchema = z
  .object({
    /** Kinds of notice this route carries (all when absent). */
    kinds: z
      .array(z.enum(noticeKinds as [string, ...string[]]))
      .min(1)
      .optional(),
    /** The least severity it carries. */
    minSeverity: severity.default("medium"),
    /** Component names it is limited to (all when absent; notices about no component always pass). */
    components: z.array(z.string().min(1)).min(1).optional(),
    channels: z.array(z.string().min(1)).min(1),
    /** Repeat every N minutes until the owner acknowledges (on-chain). */
    repeatMinutes: minutes.optional(),
    /** After M minutes unacknowledged, also send to `escalateTo`. */
    escalateAfterMinutes: minutes.optional(),
    escalateTo: z.array(z.string().min(1)).min(1).optional(),
    /** Overrides the section's quiet hours for this route; `false` turns them off here. */
    quietHours: z.union([quietHoursSchema, z.literal(false)]).optional(),
  })
  .strict()
  .refine((route) => (route.escalateAfterMinutes === undefined) === (route.escalateTo === undefined), {
    message: "`escalateAfterMinutes` and `escalateTo` go together",
    path: ["escalateTo"],
  });
export type RouteConfig = z.infer<typeof routeSchema>;

export const notificationsSchema = z
  .object({
    /** Where the owner opens the command center (links in every message); the local web app by default. */
    commandCenterUrl: httpUrl.optional(),
    /** The time zone of quiet hours; the host's by default. */
    timezone: timezone.optional(),
    channels: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "must be a channel name (a-z, 0-9, _ -)"), channelSchema),
    routes: z.array(routeSchema).default([]),
    quietHours: quietHoursSchema.optional(),
    /** The same thing (a component's status, a verdict's threat on one target) is told once per channel in this many minutes. */
    dedupMinutes: minutes.default(10),
    /** Every channel's rate limit unless it sets its own. */
    rateLimit: rateLimitSchema.default({ count: 20, perMinutes: 10 }),
  })
  .strict()
  .superRefine((config, context) => {
    const names = new Set(Object.keys(config.channels));
    config.routes.forEach((route, index) => {
      for (const [field, list] of [
        ["channels", route.channels],
        ["escalateTo", route.escalateTo ?? []],
      ] as const) {
        list.forEach((name, at) => {
          if (!names.has(name)) {
            context.addIssue({
              code: "custom",
              message: `no channel is named "${name}" (channels: ${[...names].join(", ") || "none"})`,
              path: ["routes", index, field, at],
            });
          }
        });
      }
    });
  });
export type NotificationsConfig = z.infer<typeof notificationsSchema>;
export type NotificationsInput = z.input<typeof notificationsSchema>;
