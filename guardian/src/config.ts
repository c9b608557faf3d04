/**
 * The guardian's settings, from the environment `sovr up` (or `spawnGuardian`) sets. Every threshold
 * of the rule engine has a documented default here; amounts are micro-dollars like on-chain.
 */
import { env, type GeminiSettings, readEnv, readGeminiSettings, UserError } from "@sovr/runtime";
import { rpcUrls } from "@sovr/runtime/rpc";

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
  /** A standing order whose cap per charge, or a commitment whose total, is at least this is `large_authorization` (ALERT). */
  largeAuthorization: bigint;
  /** A standing order authorizing at least this much a year (cap x charges in a year) is `large_authorization` (ALERT). */
  largeAuthorizationPerYear: bigint;
  /** A period whose charge was refused this many times is `repeated_charge_failure` (ALERT). */
  chargeFailureAlertAttempts: number;
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
  largeAuthorization: 5_000_000_000n, // $5,000
  largeAuthorizationPerYear: 50_000_000_000n, // $50,000
  chargeFailureAlertAttempts: 2,
};

export type { GeminiSettings };

export type GuardianConfig = {
  /** One or more URLs of the chain, used in turn when one fails. */
  rpcUrls: string[];
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

const spec = {
  SOVR_RPC_URL: env.optional(rpcUrls([])),
  SOVR_CHAIN_PORT: env.port(8545),
  SOVR_CHAIN_ID: env.wholeNumber(31337, { min: 1 }),
  SOVR_DEPLOYMENT_ID: env.optional(env.text("")),
  SOVR_INDEXER_URL: env.optional(env.httpUrl("")),
  SOVR_INDEXER_PORT: env.port(42069),
  SOVR_GUARDIAN_KEY: env.privateKey(),
  SOVR_GUARDIAN_PORT: env.wholeNumber(9465),
  SOVR_GUARDIAN_POLL_MS: env.wholeNumber(100),
  GUARDIAN_LARGE_SHARE_OF_CREDIT_LIMIT: env.share(defaultThresholds.largeShareOfCreditLimit),
  GUARDIAN_HISTORY_MULTIPLE: env.positiveNumber(defaultThresholds.historyMultiple),
  GUARDIAN_HISTORY_MIN_TRANSFERS: env.wholeNumber(defaultThresholds.historyMinTransfers),
  GUARDIAN_VELOCITY_WINDOW_S: env.wholeNumber(defaultThresholds.velocityWindowSeconds, { min: 1 }),
  GUARDIAN_VELOCITY_ALERT_COUNT: env.wholeNumber(defaultThresholds.velocityAlertCount, { min: 1 }),
  GUARDIAN_VELOCITY_ALERT_VOLUME: env.micros(defaultThresholds.velocityAlertVolume),
  GUARDIAN_VELOCITY_BLOCK_COUNT: env.wholeNumber(defaultThresholds.velocityBlockCount, { min: 1 }),
  GUARDIAN_NEW_COUNTERPARTY_AMOUNT: env.micros(defaultThresholds.newCounterpartyAmount),
  GUARDIAN_AUTH_FAILURE_WINDOW_S: env.wholeNumber(defaultThresholds.authFailureWindowSeconds, { min: 1 }),
  GUARDIAN_AUTH_FAILURE_ALERT_COUNT: env.wholeNumber(defaultThresholds.authFailureAlertCount, { min: 1 }),
  GUARDIAN_AUTH_FAILURE_SHUTDOWN_COUNT: env.wholeNumber(defaultThresholds.authFailureShutdownCount, { min: 1 }),
  GUARDIAN_CREDIT_NEAR_LIMIT_SHARE: env.share(defaultThresholds.creditNearLimitShare),
  GUARDIAN_LARGE_AUTHORIZATION: env.micros(defaultThresholds.largeAuthorization),
  GUARDIAN_LARGE_AUTHORIZATION_YEARLY: env.micros(defaultThresholds.largeAuthorizationPerYear),
  GUARDIAN_CHARGE_FAILURE_ALERT_ATTEMPTS: env.wholeNumber(defaultThresholds.chargeFailureAlertAttempts, { min: 1 }),
};

/**
 * Reads and checks the settings; a bad value fails with one line naming the variable. The guardian's
 * key has no default on any chain: `sovr up` passes the host key it generated.
 */
export function readGuardianConfig(environment: NodeJS.ProcessEnv = process.env): GuardianConfig {
  const e = readEnv(spec, environment);
  if (!e.SOVR_GUARDIAN_KEY) {
    throw new UserError(
      "the guardian needs its key: set SOVR_GUARDIAN_KEY to the GUARDIAN_ROLE host key (sovr up passes .sovr/keys/guardian.key)",
    );
  }
  return {
    rpcUrls: e.SOVR_RPC_URL ?? [`http://127.0.0.1:${e.SOVR_CHAIN_PORT}`],
    chainId: e.SOVR_CHAIN_ID,
    deploymentId: e.SOVR_DEPLOYMENT_ID,
    indexerUrl: e.SOVR_INDEXER_URL ?? `http://127.0.0.1:${e.SOVR_INDEXER_PORT}`,
    privateKey: e.SOVR_GUARDIAN_KEY,
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
      largeAuthorization: e.GUARDIAN_LARGE_AUTHORIZATION,
      largeAuthorizationPerYear: e.GUARDIAN_LARGE_AUTHORIZATION_YEARLY,
      chargeFailureAlertAttempts: e.GUARDIAN_CHARGE_FAILURE_ALERT_ATTEMPTS,
    },
    gemini: readGeminiSettings(environment),
  };
}
