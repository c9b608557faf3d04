/**
 * Host configuration (`sovr.config.ts` or `sovr.config.json` at the repository root, or the file
 * `SOVR_CONFIG` names): the owner's own components, how to start each, how to check its health,
 * how often, and what to do when it fails. On-chain intents never carry commands: a component's
 * on-chain id maps to its entry here by name.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { componentKinds, contractLimits } from "@sovr/contracts";
import { notificationsSchema } from "@sovr/notifier/config";
import { repoRoot, UserError } from "@sovr/runtime";
import { z } from "zod";

const CONFIG_FILES = ["sovr.config.ts", "sovr.config.json"] as const;
const { MAX_NAME_LENGTH: MAX_NAME_BYTES, MAX_ENDPOINT_LENGTH: MAX_ENDPOINT_BYTES } = contractLimits.ComponentRegistry;

const timeoutMs = z.number().int().positive().max(60_000).default(5_000);
const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .refine((url) => Buffer.byteLength(url) <= MAX_ENDPOINT_BYTES, `must be at most ${MAX_ENDPOINT_BYTES} bytes`);

const httpCheck = z
  .object({
    type: z.literal("http"),
    url: httpUrl,
    /** Status the check expects (200 by default). */
    expectStatus: z.number().int().min(100).max(599).default(200),
    /** Dot path into a JSON body (`status`, `checks.0.ok`) that must be truthy, or equal `equals`. */
    jsonPath: z.string().min(1).optional(),
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
    /** Text the body must contain. */
    keyword: z.string().min(1).optional(),
    timeoutMs,
  })
  .strict()
  .refine((check) => check.equals === undefined || check.jsonPath !== undefined, {
    message: "`equals` needs a `jsonPath`",
    path: ["equals"],
  });

const tcpCheck = z
  .object({
    type: z.literal("tcp"),
    host: z.string().min(1).default("127.0.0.1"),
    port: z.number().int().min(1).max(65_535),
    timeoutMs,
  })
  .strict();

const jsonRpcCheck = z
  .object({
    type: z.literal("jsonrpc"),
    url: httpUrl,
    method: z.string().min(1),
    params: z.array(z.unknown()).default([]),
    timeoutMs,
  })
  .strict();

export const healthCheckSchema = z.discriminatedUnion("type", [httpCheck, tcpCheck, jsonRpcCheck]);

const startSchema = z
  .object({
    command: z.string().min(1, "must name a program"),
    args: z.array(z.string()).default([]),
    /** Relative to the configuration file's folder. */
    cwd: z.string().min(1).optional(),
    env: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export const componentConfigSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .refine((name) => Buffer.byteLength(name) <= MAX_NAME_BYTES, `must be at most ${MAX_NAME_BYTES} bytes`),
    kind: z.enum(componentKinds),
    critical: z.boolean().default(false),
    /** How to start it; without it the component is only probed, and START/RESTART intents fail. */
    start: startSchema.optional(),
    health: healthCheckSchema,
    intervalSeconds: z.number().positive().max(86_400).default(15),
    /** Consecutive failed probes until OFFLINE (one failure makes it DEGRADED). */
    failuresUntilOffline: z.number().int().min(1).max(100).default(3),
    /** Start it with `sovr up` when the owner has not stopped it with a STOP intent. */
    autostart: z.boolean().default(true),
    /** Seconds a START waits for the first healthy probe before it is reported Failed. */
    startTimeoutSeconds: z.number().positive().max(600).default(30),
    /** `on-failure`: restart a process it started when the process exits non-zero. */
    restart: z.enum(["never", "on-failure", "always"]).default("on-failure"),
    /** Seconds between SIGTERM and SIGKILL on STOP. */
    stopTimeoutSeconds: z.number().positive().max(600).default(10),
  })
  .strict();

export const hostConfigSchema = z
  .object({
    components: z.array(componentConfigSchema).default([]),
    /** Channels, routes, quiet hours, escalation: the notifier's (see notifier/README.md). */
    notifications: notificationsSchema.optional(),
  })
  .strict()
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.components.forEach((component, index) => {
      if (seen.has(component.name)) {
        context.addIssue({ code: "custom", message: `duplicate component name "${component.name}"`, path: ["components", index, "name"] });
      }
      seen.add(component.name);
    });
  });

export type HealthCheck = z.infer<typeof healthCheckSchema>;
export type ComponentConfig = z.infer<typeof componentConfigSchema>;
export type HostConfig = z.infer<typeof hostConfigSchema> & {
  /** The file it came from; undefined when there is none (no components of the owner's own). */
  file: string | undefined;
};

/** Finds the configuration file: `SOVR_CONFIG`, else `sovr.config.ts`, else `sovr.config.json` in `root`. */
export function findConfigFile(root = repoRoot, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.SOVR_CONFIG) {
    const file = isAbsolute(env.SOVR_CONFIG) ? env.SOVR_CONFIG : resolve(root, env.SOVR_CONFIG);
    if (!existsSync(file)) throw new UserError(`SOVR_CONFIG names ${file}, which does not exist`);
    return file;
  }
  return CONFIG_FILES.map((name) => join(root, name)).find((file) => existsSync(file));
}

/** Loads and validates the host configuration; every problem names the file, the field and the reason. */
export async function loadHostConfig(file: string | undefined): Promise<HostConfig> {
  if (file === undefined) return { components: [], file: undefined };
  let raw: unknown;
  if (file.endsWith(".json")) {
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new UserError(`${basename(file)}: not valid JSON (${(error as Error).message})`);
    }
  } else {
    try {
      raw = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
    } catch (error) {
      throw new UserError(`${basename(file)}: could not be loaded (${(error as Error).message.split("\n")[0]})`);
    }
  }
  const parsed = hostConfigSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(`${basename(file)}: ${describeIssue(parsed.error.issues[0]!)}`);
  return { ...parsed.data, file };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    "",
  );
  if (issue.code === "unrecognized_keys") {
    const prefix = field ? `${field}: ` : "";
    return `${prefix}unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${key}"`).join(", ")}`;
  }
  return `${field || "(top level)"}: ${issue.message}`;
}
