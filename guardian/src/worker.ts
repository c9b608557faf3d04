/**
 * The follower: reads the indexer's audit trail in chain order, judges each event once per analyzer
 * (the rule engine always, Gemini when configured) and attests every verdict on-chain. It keeps no
 * state of its own: where to start comes from the chain's record of what was attested (via the
 * indexer's verdict table), and before attesting each verdict the chain is asked whether it already
 * exists (`verdictIdOf`); a repeat would revert anyway.
 */
import { addressesOf, roleName, type SovrDeployment } from "@sovr/contracts";
import { chainProfile, stuckAfterMs } from "@sovr/runtime/chains";
import type { Hex } from "viem";
import { type Attestation, Attester, analyzerId } from "./attester.ts";
import type { GuardianConfig } from "./config.ts";
import { gatherContext } from "./context.ts";
import { GeminiAnalyzer } from "./gemini.ts";
import { GuardianIndexer, type IndexedEvent } from "./indexer.ts";
import type { GuardianMetrics } from "./metrics.ts";
import { type JudgementContext, judgeOverdue, judgeWithRules, RULESET } from "./rules.ts";
import { comparePositions, overdueSubjectOf, type Position, positionOfSubject, subjectOf } from "./subject.ts";
import { actionRank, type Verdict } from "./verdict.ts";

/** Events judged per batch; at most this many verdicts per analyzer are ever in flight. */
export const BATCH_SIZE = 64;
/** Events whose context is read at the same time. */
const CONTEXT_CONCURRENCY = 8;

export type GeminiStatus = { enabled: boolean; healthy: boolean; lastError: string | undefined };

/** Events the guardian's own attestations emit: GuardianAttestations' own, and the ledger's freeze or pause it causes. */
const OWN_EVENTS = new Set([
  "GuardianAttestations.VerdictAttested",
  "GuardianAttestations.GuardianFroze",
  "GuardianAttestations.GuardianPaused",
  "SovrLedger.AccountFrozen",
  "SovrLedger.Paused",
]);

/**
 * Whether the guardian judges an event: everything except what its own attestations emitted
 * (judging those would loop) and liveness beats (heartbeats; transitions come as HealthChanged).
 * Matching the event names, not just the sender, keeps a single-key development setup judged.
 */
export function isJudged(event: IndexedEvent, guardianKey: Hex): boolean {
  if (event.actor.toLowerCase() === guardianKey.toLowerCase() && OWN_EVENTS.has(`${event.contract}.${event.event}`)) return false;
  return !(event.contract === "ComponentRegistry" && event.event === "LivenessBeat");
}

/**
 * Caps the model's verdict so that it never asks for more than the rule engine does: a model
 * verdict may raise the level or alert, but BLOCK and EMERGENCY_SHUTDOWN stand only where the
 * rules call for the same act. The model's verdict itself never acts (see the README).
 */
export function capModelVerdict(model: Verdict, rules: Verdict): Verdict {
  if (actionRank(model.action) < actionRank("BLOCK") || model.action === rules.action) return { ...model, freezeAccountId: undefined };
  return {
    ...model,
    action: "ALERT",
    freezeAccountId: undefined,
    summary: `${model.summary} (model asked for ${model.action}; capped to ALERT: ${RULESET} does not call for it)`,
  };
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let index = next++; index < items.length; index = next++) results[index] = await fn(items[index]!);
    }),
  );
  return results;
}

export class GuardianWorker {
  readonly indexer: GuardianIndexer;
  readonly attester: Attester;
  readonly gemini: GeminiAnalyzer | undefined;
  readonly geminiStatus: GeminiStatus;
  private readonly config: GuardianConfig;
  private readonly metrics: GuardianMetrics;
  private cursor: Position | undefined;
  private resumed = false;
  private pageWasFull = false;
  /** The indexed block as of the last step that completed. */
  private completedThrough: bigint | undefined;
  /** The indexed block overdue invoices were last looked for at. */
  private overdueCheckedAt: bigint | undefined;
  /** Invoices whose overdue verdict is on-chain (a cache of `verdictIdOf`, rebuilt after a restart). */
  private readonly overdueJudged = new Set<bigint>();
  /** Last time a loop iteration finished (for liveness). */
  lastLoopAt = 0;
  processedBlock: bigint | undefined;
  indexedBlock: bigint | undefined;
  private readonly deployment: SovrDeployment;
  /**
   * The deployment's own role grants: judged once, as setup, on the first of them (its subject);
   * the others are named there and not judged again. Read once the index holds the deployment.
   */
  private setup: { first: string | undefined; followers: Set<string>; grants: NonNullable<JudgementContext["setupGrants"]> } | undefined;

  constructor(config: GuardianConfig, deployment: SovrDeployment, metrics: GuardianMetrics) {
    this.config = config;
    this.metrics = metrics;
    this.deployment = deployment;
    this.indexer = new GuardianIndexer(config.indexerUrl);
    const profile = chainProfile(config.chainId);
    this.attester = new Attester(config.rpcUrls, config.privateKey, deployment, profile, {
      stuckAfterMs: stuckAfterMs(profile),
      // Twice per the chain's polling period: a verdict's receipt is its latency.
      pollingMs: profile.pollingMs / 2,
      log: (line) => console.error(`guardian: ${line}`),
    });
    this.gemini = config.gemini ? new GeminiAnalyzer(config.gemini) : undefined;
    this.geminiStatus = { enabled: this.gemini !== undefined, healthy: true, lastError: undefined };
    metrics.geminiUp.set(this.gemini ? 1 : 0);
  }

  get analyzers(): string[] {
    return this.gemini ? [RULESET, this.gemini.model] : [RULESET];
  }

  /**
   * Where to start: just before the oldest of each analyzer's newest BATCH_SIZE + 1 verdicts. A batch
   * is confirmed before the next is sent, so everything before that point was attested; events from
   * there on are checked one by one against the chain.
   */
  async resumePosition(): Promise<Position | undefined> {
    let start: Position | undefined;
    for (const analyzer of this.analyzers) {
      const subjects = await this.indexer.latestVerdictSubjects(analyzerId(analyzer), BATCH_SIZE + 1);
      if (subjects.length <= BATCH_SIZE) return undefined;
      const oldest = subjects.map(positionOfSubject).reduce((min, p) => (comparePositions(p, min) < 0 ? p : min));
      // Just before `oldest`: the previous log, or past every log of the previous block (GraphQL Int is 32-bit).
      const before: Position =
        oldest.logIndex > 0
          ? { ...oldest, logIndex: oldest.logIndex - 1 }
          : { blockNumber: oldest.blockNumber - 1n, logIndex: 2 ** 31 - 1 };
      if (!start || comparePositions(before, start) < 0) start = before;
    }
    return start;
  }

  private async judgeEvent(event: IndexedEvent): Promise<Attestation[]> {
    const subject = subjectOf(event);
    const pending = (
      await Promise.all(
        this.analyzers.map(async (analyzer) => ((await this.attester.isAttested(subject, analyzer)) ? undefined : analyzer)),
      )
    ).filter((analyzer): analyzer is string => analyzer !== undefined);
    if (pending.length === 0) return [];
    let context: JudgementContext;
    try {
      context = await gatherContext(this.indexer, event, this.config.thresholds);
    } catch (error) {
      context = { missing: [`context (${String(error).slice(0, 60)})`] };
    }
    if (this.setup && subject === this.setup.first) context.setupGrants = this.setup.grants;
    const ruleVerdict = judgeWithRules(event, context, this.config.thresholds);
    const attestations: Attestation[] = [];
    if (pending.includes(RULESET)) attestations.push({ subject, analyzer: RULESET, verdict: ruleVerdict, mayAct: true });
    if (this.gemini && pending.includes(this.gemini.model)) {
      const outcome = await this.gemini.judge(event, context, ruleVerdict);
      this.metrics.geminiLatency.observe(outcome.latencyMs / 1000);
      let verdict: Verdict;
      if (outcome.ok) {
        verdict = capModelVerdict(outcome.verdict, ruleVerdict);
        this.geminiStatus.healthy = true;
        this.metrics.geminiUp.set(1);
      } else {
        verdict = {
          ...ruleVerdict,
          freezeAccountId: undefined,
          summary: `[fallback to ${RULESET}: ${outcome.reason}, ${outcome.detail}] ${ruleVerdict.summary}`,
        };
        this.metrics.geminiErrors.inc({ reason: outcome.reason });
        this.geminiStatus.healthy = false;
        this.geminiStatus.lastError = `${outcome.reason}: ${outcome.detail}`;
        this.metrics.geminiUp.set(0);
      }
      attestations.push({ subject, analyzer: this.gemini.model, verdict, mayAct: false });
    }
    return attestations;
  }

  private async readSetup(): Promise<NonNullable<GuardianWorker["setup"]>> {
    const grants = await this.indexer.roleGrantsIn(this.deployment.transactions);
    const names = new Map<string, string>(
      Object.entries(addressesOf(this.deployment)).map(([name, address]) => [address.toLowerCase(), name]),
    );
    names.set(this.attester.account.address.toLowerCase(), "the guardian key");
    const [first, ...followers] = grants.map(subjectOf);
    const nameOf = (event: IndexedEvent, address: string) =>
      names.get(address.toLowerCase()) ?? (address.toLowerCase() === event.actor.toLowerCase() ? "the owner" : address);
    return {
      first,
      followers: new Set(followers),
      grants: grants.map((event) => ({
        contract: event.contract,
        role: roleName(String(event.args.role)),
        account: nameOf(event, String(event.args.account)),
      })),
    };
  }

  /**
   * Alerts once per invoice that is still open after its due date, on the time of the last indexed block
   * (the chain's clock: an idle chain makes nothing overdue). Only the rule engine judges this.
   */
  private async sweepOverdue(): Promise<void> {
    const head = await this.indexer.indexedHead();
    if (!head || head.number === this.overdueCheckedAt) return;
    const batch: Attestation[] = [];
    for (const invoice of await this.indexer.overdueInvoices(head.timestamp)) {
      if (this.overdueJudged.has(invoice.id)) continue;
      const subject = overdueSubjectOf(invoice.id);
      if (await this.attester.isAttested(subject, RULESET)) {
        this.overdueJudged.add(invoice.id);
        continue;
      }
      batch.push({ subject, analyzer: RULESET, verdict: judgeOverdue(invoice, head.timestamp), mayAct: false });
    }
    for (const result of await this.attester.attestAll(batch)) {
      this.overdueJudged.add(BigInt(`0x${result.subject.slice(-40)}`));
      if (result.skipped) continue;
      this.metrics.verdicts.inc({ analyzer: result.analyzer, level: "MEDIUM" });
    }
    this.overdueCheckedAt = head.number;
  }

  /** Judges the next batch of indexed events; returns how many events it looked at. */
  async step(): Promise<number> {
    if (!this.resumed) {
      this.cursor = await this.resumePosition();
      this.resumed = true;
    }
    const indexed = await this.indexer.indexedBlock();
    this.indexedBlock = indexed;
    if (indexed === undefined) return 0;
    if (!this.setup) {
      // Nothing is judged before the deployment's setup is known, so no setup grant is judged alone.
      if (indexed < BigInt(this.deployment.endBlock)) return 0;
      this.setup = await this.readSetup();
    }
    // Nothing new since a completed page that was not full: spare the indexer (its API shares a
    // thread with indexing).
    if (indexed === this.completedThrough && !this.pageWasFull) {
      this.lastLoopAt = Date.now();
      return 0;
    }
    // Only blocks the indexer has finished: a block's events are then all visible.
    const events = (await this.indexer.eventsAfter(this.cursor, BATCH_SIZE)).filter((event) => event.blockNumber <= indexed);
    if (events.length > 0) {
      const followers = this.setup.followers;
      const judged = events.filter((event) => isJudged(event, this.attester.account.address) && !followers.has(subjectOf(event)));
      const perEvent = await mapLimited(judged, CONTEXT_CONCURRENCY, (event) => this.judgeEvent(event));
      const batch = perEvent.flat();
      const results = await this.attester.attestAll(batch);
      const now = Date.now();
      for (const [index, result] of results.entries()) {
        if (result.skipped) continue;
        const attestation = batch[index]!;
        this.metrics.eventsJudged.inc({ analyzer: result.analyzer });
        this.metrics.verdicts.inc({ analyzer: result.analyzer, level: attestation.verdict.level });
        if (result.acted) this.metrics.actions.inc({ action: result.acted });
        const event = judged.find((e) => subjectOf(e) === result.subject);
        if (event) this.metrics.verdictLag.observe(Math.max(0, now / 1000 - Number(event.timestamp)));
      }
      const last = events.at(-1)!;
      this.cursor = { blockNumber: last.blockNumber, logIndex: last.logIndex };
    }
    this.pageWasFull = events.length === BATCH_SIZE;
    // Events first: overdue invoices are looked for once the follower has caught up.
    if (!this.pageWasFull) await this.sweepOverdue();
    this.completedThrough = indexed;
    if (events.length < BATCH_SIZE) this.processedBlock = indexed;
    else this.processedBlock = this.cursor!.blockNumber - 1n;
    this.metrics.processedBlock.set(Number(this.processedBlock));
    this.metrics.lagBlocks.set(Math.max(0, Number(indexed - this.processedBlock)));
    this.lastLoopAt = Date.now();
    return events.length;
  }

  /** Follows the indexer until the signal aborts; errors are logged and retried, never fatal. */
  async run(signal: AbortSignal, log: (line: string) => void = console.error): Promise<void> {
    let backoffMs = this.config.pollIntervalMs;
    while (!signal.aborted) {
      try {
        const seen = await this.step();
        backoffMs = this.config.pollIntervalMs;
        if (seen < BATCH_SIZE) await new Promise((resolveWait) => setTimeout(resolveWait, this.config.pollIntervalMs));
      } catch (error) {
        log(`guardian: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}; retrying in ${backoffMs} ms`);
        await new Promise((resolveWait) => setTimeout(resolveWait, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }
}
