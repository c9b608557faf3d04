/**
 * The guardian's settings, from the environment `sovr up` (or `spawnGuardian`) sets. Every threshold
 * of the rule engine has a documented default here; amounts are micro-dollars like on-chain.
 */
import { z } from "zod";

export type RuleThresholds = {
  /** A transfer at least this share of the debit account's credit limit is `large_transfer` (ALERT). */
  largeShareOfCreditLimit: number;
  /** A transfer at least this many times the account's largest earlier outgoing transfer is `amount_anomaly` (ALERT)... */
  historyMultiple: number;
  /** ...once the account has at least this many earlier outgoing transfers to compare with. */
  historyMinTransfers: number;
  /** Window (seconds) over which velocity is counted. */
  velocityWindowSeconds: number;
  /** Outgoing transfers of one account within the window that raise `velocity` (ALERT). */
  velocityAlertCount: number;
  /** Outgoing volume of one account within the window that raises `velocity` (ALERT). */
  velocityAlertVolume: bigint;
  /** Outgoing transfers within the window at which the account is blocked (BLOCK: freeze, if the policy allows). */
  velocityBlockCount: number;
  /** A first transfer to a counterparty at or above this amount is `new_counterparty` (ALERT). */
  newCounterpartyAmount: bigint;
  /** Window (seconds) over which `auth_failure` signals of one component are counted. */
  authFailureWindowSeconds: number;
  /** `auth_failure` signals within the window that raise `auth_failure_burst` (HIGH, ALERT). */
  authFailureAlertCount: number;
  /** `auth_failure` signals within the window that call for EMERGENCY_SHUTDOWN (pause, if the policy allows). */
  authFailureShutdownCount: number;
  /** Credit use at or above this share of the line's limit is `credit_near_limit` (ALERT). */
  creditNearLimitShare: number;
};

export const defaultThresholds: RuleThresholds = {
  largeShareOfCreditLimit: 0.5,
  historyMultiple: 10,
  historyMinTransfers: 3,
  velocityWindowSeconds: 60,
  velocityAlertCount: 20,
  velocityAlertVolume: 10_000_000_000n, // $10,000
  velocityBlockCount: 100,
  newCounterpartyAmount: 1_000_000_000n, // $1,000
  authFailureWindowSeconds: 300,
  authFailureAlertCount: 5,
  authFailureShutdownCount: 50,
  creditNearLimitShare: 0.9,
};

export type GeminiSettings = {
  apiKey: string;
  model: string;
  /** Overrides the API's address (a local server speaking the same wire format). */
  baseUrl: string | undefined;
  timeoutMs: number;
  /** Retries after the first attempt, on 429 and 5xx only. */
  maxRetries: number;
  /** Backoff before the first retry; doubled each time. */
  backoffMs: number;
  /** Calls allowed per rolling minute; beyond it events fall back to the rule verdict. */
  callsPerMinute: number;
};

export type GuardianConfig = {
  rpcUrl: string;
  chainId: number;
  deploymentId: string | undefined;
  indexerUrl: string;
  privateKey: `0x${string}`;
  /** Port of `/health` and `/metrics` (0 picks a free one). */
  port: number;
  pollIntervalMs: number;
  thresholds: RuleThresholds;
  gemini: GeminiSettings | undefined;
};

/** Anvil's third account: the guardian key of a local deployment (SPEC 1: separate from the owner's). */
export const LOCAL_GUARDIAN_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

const number = (fallback: number) => z.coerce.number().finite().nonnegative().default(fallback);
const amount = (fallback: bigint) =>
  z
    .string()
    .regex(/^\d+$/, "a whole number of micro-dollars")
    .transform((text) => BigInt(text))
    .default(fallback);

const envSchema = z.object({
  SOVR_RPC_URL: z.string().url().optional(),
  SOVR_CHAIN_PORT: z.coerce.number().int().positive().default(8545),
  SOVR_CHAIN_ID: z.coerce.number().int().positive().default(31337),
  SOVR_DEPLOYMENT_ID: z.string().optional(),
  SOVR_INDEXER_URL: z.string().url().optional(),
  SOVR_INDEXER_PORT: z.coerce.number().int().positive().default(42069),
  SOVR_GUARDIAN_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, "a 32-byte hex private key")
    .default(LOCAL_GUARDIAN_KEY),
  SOVR_GUARDIAN_PORT: z.coerce.number().int().nonnegative().default(9465),
  SOVR_GUARDIAN_POLL_MS: number(100),
  GUARDIAN_LARGE_SHARE_OF_CREDIT_LIMIT: number(defaultThresholds.largeShareOfCreditLimit),
  GUARDIAN_HISTORY_MULTIPLE: number(defaultThresholds.historyMultiple),
  GUARDIAN_HISTORY_MIN_TRANSFERS: number(defaultThresholds.historyMinTransfers),
  GUARDIAN_VELOCITY_WINDOW_S: number(defaultThresholds.velocityWindowSeconds),
  GUARDIAN_VELOCITY_ALERT_COUNT: number(defaultThresholds.velocityAlertCount),
  GUARDIAN_VELOCITY_ALERT_VOLUME: amount(defaultThresholds.velocityAlertVolume),
  GUARDIAN_VELOCITY_BLOCK_COUNT: number(defaultThresholds.velocityBlockCount),
  GUARDIAN_NEW_COUNTERPARTY_AMOUNT: amount(defaultThresholds.newCounterpartyAmount),
  GUARDIAN_AUTH_FAILURE_WINDOW_S: number(defaultThresholds.authFailureWindowSeconds),
  GUARDIAN_AUTH_FAILURE_ALERT_COUNT: number(defaultThresholds.authFailureAlertCount),
  GUARDIAN_AUTH_FAILURE_SHUTDOWN_COUNT: number(defaultThresholds.authFailureShutdownCount),
  GUARDIAN_CREDIT_NEAR_LIMIT_SHARE: number(defaultThresholds.creditNearLimitShare),
  GEMINI_API_KEY: z.string().optional(),
  GEMINI_MODEL: z.string().min(1).max(32).default("gemini-2.5-flash"),
  GEMINI_BASE_URL: z.string().url().optional(),
  GEMINI_TIMEOUT_MS: number(15_000),
  GEMINI_MAX_RETRIES: number(2),
  GEMINI_BACKOFF_MS: number(500),
  GEMINI_CALLS_PER_MINUTE: number(30),
});

/** Reads and checks the settings; a bad value fails with one line naming the variable. */
export function readGuardianConfig(env: NodeJS.ProcessEnv = process.env): GuardianConfig {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== "")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`guardian: ${issue.path.join(".")}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    rpcUrl: e.SOVR_RPC_URL ?? `http://127.0.0.1:${e.SOVR_CHAIN_PORT}`,
    chainId: e.SOVR_CHAIN_ID,
    deploymentId: e.SOVR_DEPLOYMENT_ID,
    indexerUrl: e.SOVR_INDEXER_URL ?? `http://127.0.0.1:${e.SOVR_INDEXER_PORT}`,
    privateKey: e.SOVR_GUARDIAN_KEY as `0x${string}`,
    port: e.SOVR_GUARDIAN_PORT,
    pollIntervalMs: e.SOVR_GUARDIAN_POLL_MS,
    thresholds: {
      largeShareOfCreditLimit: e.GUARDIAN_LARGE_SHARE_OF_CREDIT_LIMIT,
      historyMultiple: e.GUARDIAN_HISTORY_MULTIPLE,
      historyMinTransfers: e.GUARDIAN_HISTORY_MIN_TRANSFERS,
      velocityWindowSeconds: e.GUARDIAN_VELOCITY_WINDOW_S,
      velocityAlertCount: e.GUARDIAN_VELOCITY_ALERT_COUNT,
      velocityAlertVolume: e.GUARDIAN_VELOCITY_ALERT_VOLUME,
      velocityBlockCount: e.GUARDIAN_VELOCITY_BLOCK_COUNT,
      newCounterpartyAmount: e.GUARDIAN_NEW_COUNTERPARTY_AMOUNT,
      authFailureWindowSeconds: e.GUARDIAN_AUTH_FAILURE_WINDOW_S,
      authFailureAlertCount: e.GUARDIAN_AUTH_FAILURE_ALERT_COUNT,
      authFailureShutdownCount: e.GUARDIAN_AUTH_FAILURE_SHUTDOWN_COUNT,
      creditNearLimitShare: e.GUARDIAN_CREDIT_NEAR_LIMIT_SHARE,
    },
    gemini: e.GEMINI_API_KEY
      ? {
          apiKey: e.GEMINI_API_KEY,
          model: e.GEMINI_MODEL,
          baseUrl: e.GEMINI_BASE_URL,
          timeoutMs: e.GEMINI_TIMEOUT_MS,
          maxRetries: e.GEMINI_MAX_RETRIES,
          backoffMs: e.GEMINI_BACKOFF_MS,
          callsPerMinute: e.GEMINI_CALLS_PER_MINUTE,
        }
      : undefined,
  };
}
