/**
 * Standing orders, subscriptions and commitments as every client handles them (CLI, web app, indexer, keeper,
 * guardian): intervals and dates as typed, due times (the contract's calendar, in UTC), which periods can be
 * charged now, and the transfer ids SovrOrders and SovrCommitments derive. The rules mirror the contracts; their
 * limits come from the compiled contracts.
 */
import { type chargeOutcomes, contractLimits, type periodStatuses, type periodUnits } from "../generated/index.ts";
import { fail, ok, type Parsed } from "./parsed.ts";
import { boundedText } from "./text.ts";
import { RESERVED_ID_BIT } from "./transfers.ts";

export const ORDER_LIMITS = contractLimits.SovrOrders;
export const COMMITMENT_LIMITS = contractLimits.SovrCommitments;
export type PeriodUnit = (typeof periodUnits)[number];
export type ChargeOutcome = (typeof chargeOutcomes)[number];
export type PeriodStatus = (typeof periodStatuses)[number];

/** The period count of an order with neither a count nor an end date (`SovrOrders.UNTIL_CANCELLED`). */
export const UNTIL_CANCELLED = 0xffffffff;
/** Bit 125: SovrOrders' part of the ledger's reserved id range; bit 124: SovrCommitments'. */
const CHARGE_BIT = 1n << 125n;
const MILESTONE_BIT = 1n << 124n;
const PART_BITS = (1n << 127n) | (1n << 126n) | CHARGE_BIT | MILESTONE_BIT;
const ORDER_ID_SHIFT = 32n;
const COMMITMENT_ID_SHIFT = 16n;
const MILESTONE_INDEX_SHIFT = 8n;
const UINT32_MASK = (1n << 32n) - 1n;
const UINT64_MASK = (1n << 64n) - 1n;
const BYTE_MASK = 0xffn;
const SECONDS_PER_DAY = 86_400;
const SECONDS_PER_HOUR = 3_600;
const SECONDS_PER_MINUTE = 60;
const DAYS_PER_WEEK = 7;
const MONTHS_PER_YEAR = 12;
const MONTHS_PER_QUARTER = 3;

/** What a milestone's transfer does: its reservation, the post that pays it, the void that releases it. */
export const MILESTONE_STEPS = { reserve: 0n, post: 1n, void: 2n } as const;

// ---------------------------------------------------------------- transfer ids

/** The ledger transfer id of a period's charge (`SovrOrders.chargeTransferId`). */
export function chargeTransferId(orderId: bigint, period: number): bigint {
  return RESERVED_ID_BIT | CHARGE_BIT | (orderId << ORDER_ID_SHIFT) | BigInt(period);
}

/** A charge's transfer id back to its order and period; undefined for any other transfer. */
export function parseChargeTransferId(id: bigint): { orderId: bigint; period: number } | undefined {
  if ((id & PART_BITS) !== (RESERVED_ID_BIT | CHARGE_BIT)) return undefined;
  return { orderId: (id >> ORDER_ID_SHIFT) & UINT64_MASK, period: Number(id & UINT32_MASK) };
}

/** A milestone's transfer id: its reservation (`SovrCommitments.milestoneTransferId`), post or void. */
export function milestoneTransferId(commitmentId: bigint, index: number, step: bigint = MILESTONE_STEPS.reserve): bigint {
  return RESERVED_ID_BIT | MILESTONE_BIT | (commitmentId << COMMITMENT_ID_SHIFT) | (BigInt(index) << MILESTONE_INDEX_SHIFT) | step;
}

/** A milestone's transfer id back to its commitment, index and step; undefined for any other transfer. */
export function parseMilestoneTransferId(id: bigint): { commitmentId: bigint; index: number; step: bigint } | undefined {
  if ((id & PART_BITS) !== (RESERVED_ID_BIT | MILESTONE_BIT)) return undefined;
  return {
    commitmentId: (id >> COMMITMENT_ID_SHIFT) & UINT64_MASK,
    index: Number((id >> MILESTONE_INDEX_SHIFT) & BYTE_MASK),
    step: id & BYTE_MASK,
  };
}

// ---------------------------------------------------------------- the calendar (UTC, as the contract)

/** When period 0 falls due, the interval and its unit, and how many periods are authorized. */
export type OrderSchedule = { startAt: bigint; every: number; unit: PeriodUnit; periods: number };

const daysInMonth = (year: number, monthIndex: number) => new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();

/**
 * When a period falls due: `every` seconds apart, or `every` calendar months after the start on the start's day
 * of the month (the month's last day when shorter) at the start's time of day.
 */
export function orderDueAt(schedule: Pick<OrderSchedule, "startAt" | "every" | "unit">, period: number): bigint {
  if (schedule.unit === "Seconds") return schedule.startAt + BigInt(period) * BigInt(schedule.every);
  const start = new Date(Number(schedule.startAt) * 1000);
  const months = start.getUTCMonth() + period * schedule.every;
  const year = start.getUTCFullYear() + Math.floor(months / MONTHS_PER_YEAR);
  const month = months % MONTHS_PER_YEAR;
  const day = Math.min(start.getUTCDate(), daysInMonth(year, month));
  const secondOfDay = Number(schedule.startAt % BigInt(SECONDS_PER_DAY));
  return BigInt(Date.UTC(year, month, day) / 1000 + secondOfDay);
}

/** The length of a period in seconds (for monthly orders, that month's). */
export function periodLength(schedule: Pick<OrderSchedule, "startAt" | "every" | "unit">, period: number): bigint {
  return orderDueAt(schedule, period + 1) - orderDueAt(schedule, period);
}

/** What is known of a period from the chain: charged, failing (with its next attempt), or given up (missed). */
export type PeriodRecord = { period: number; status: "Charged" | "Failing" | "Missed"; retryAt: bigint | null };

/**
 * The periods of an order that can be charged at `now`, from `from` (the first period not yet settled): due, not
 * charged or given up, and past their retry time when failing; at most `limit`, oldest first.
 */
export function chargeablePeriods(schedule: OrderSchedule, records: PeriodRecord[], from: number, now: bigint, limit: number): number[] {
  const known = new Map(records.map((record) => [record.period, record]));
  const periods: number[] = [];
  for (let period = from; period < schedule.periods && periods.length < limit; period++) {
    if (orderDueAt(schedule, period) > now) break;
    const record = known.get(period);
    if (record?.status === "Charged" || record?.status === "Missed") continue;
    if (record?.status === "Failing" && record.retryAt !== null && record.retryAt > now) continue;
    periods.push(period);
  }
  return periods;
}

/**
 * Where an order stands after what the chain said of its periods: the first period not settled (charged or
 * missed), and when it next needs a charge (its due time, or a failing period's next attempt; null once every
 * authorized period is settled).
 */
export function orderProgress(
  schedule: OrderSchedule,
  records: PeriodRecord[],
  from: number,
): { settledThrough: number; nextChargeAt: bigint | null } {
  const known = new Map(records.map((record) => [record.period, record]));
  let settledThrough = from;
  while (settledThrough < schedule.periods) {
    const status = known.get(settledThrough)?.status;
    if (status !== "Charged" && status !== "Missed") break;
    settledThrough++;
  }
  let next: bigint | null = null;
  for (let period = settledThrough; period < schedule.periods; period++) {
    const record = known.get(period);
    if (record?.status === "Charged" || record?.status === "Missed") continue;
    const at = record?.status === "Failing" && record.retryAt !== null ? record.retryAt : orderDueAt(schedule, period);
    if (next === null || at < next) next = at;
    // A period never tried is the last that can come first: the ones after it fall due later.
    if (record === undefined) break;
  }
  return { settledThrough, nextChargeAt: next };
}

// ---------------------------------------------------------------- input as typed

/** An interval as typed: "monthly", "quarterly", "yearly", "weekly", "daily", "3 months", "2w", "30d", "12h", "90s". */
export function parseInterval(input: string): Parsed<{ every: number; unit: PeriodUnit }> {
  const text = input.trim().toLowerCase();
  const named: Record<string, { every: number; unit: PeriodUnit }> = {
    monthly: { every: 1, unit: "Months" },
    month: { every: 1, unit: "Months" },
    quarterly: { every: MONTHS_PER_QUARTER, unit: "Months" },
    yearly: { every: MONTHS_PER_YEAR, unit: "Months" },
    annually: { every: MONTHS_PER_YEAR, unit: "Months" },
    weekly: { every: DAYS_PER_WEEK * SECONDS_PER_DAY, unit: "Seconds" },
    week: { every: DAYS_PER_WEEK * SECONDS_PER_DAY, unit: "Seconds" },
    daily: { every: SECONDS_PER_DAY, unit: "Seconds" },
    day: { every: SECONDS_PER_DAY, unit: "Seconds" },
  };
  const known = named[text];
  const match = /^(\d{1,10})\s*(months?|mo|weeks?|w|days?|d|hours?|h|minutes?|min|seconds?|s)$/.exec(text);
  const interval = known ?? (match ? fromCount(Number(match[1]), match[2]!) : undefined);
  const example = `e.g. monthly, quarterly, weekly, "3 months", "14d", "12h"`;
  if (!interval)
    return fail(`an interval is a number with months, weeks, days, hours, minutes or seconds, ${example}; not "${input.trim()}"`);
  if (interval.unit === "Months" && (interval.every < 1 || interval.every > ORDER_LIMITS.MAX_INTERVAL_MONTHS))
    return fail(`an interval in months is 1 to ${ORDER_LIMITS.MAX_INTERVAL_MONTHS}`);
  if (interval.unit === "Seconds" && interval.every < ORDER_LIMITS.MIN_INTERVAL_SECONDS)
    return fail(`an interval is at least ${ORDER_LIMITS.MIN_INTERVAL_SECONDS} seconds`);
  if (interval.every > Number(UINT32_MASK)) return fail("the interval is too long");
  return ok(interval);
}

function fromCount(count: number, unit: string): { every: number; unit: PeriodUnit } {
  if (unit.startsWith("mo")) return { every: count, unit: "Months" };
  if (unit.startsWith("w")) return { every: count * DAYS_PER_WEEK * SECONDS_PER_DAY, unit: "Seconds" };
  if (unit.startsWith("d")) return { every: count * SECONDS_PER_DAY, unit: "Seconds" };
  if (unit.startsWith("h")) return { every: count * SECONDS_PER_HOUR, unit: "Seconds" };
  if (unit.startsWith("mi")) return { every: count * SECONDS_PER_MINUTE, unit: "Seconds" };
  return { every: count, unit: "Seconds" };
}

/** An interval for people: "monthly", "every 3 months", "weekly", "every 14 days", "every 12 hours", "every 90 s". */
export function formatInterval(every: number, unit: PeriodUnit): string {
  if (unit === "Months") {
    if (every === 1) return "monthly";
    if (every === MONTHS_PER_QUARTER) return "quarterly";
    if (every === MONTHS_PER_YEAR) return "yearly";
    return `every ${every} months`;
  }
  if (every % SECONDS_PER_DAY === 0) {
    const days = every / SECONDS_PER_DAY;
    if (days === 1) return "daily";
    if (days === DAYS_PER_WEEK) return "weekly";
    return days % DAYS_PER_WEEK === 0 ? `every ${days / DAYS_PER_WEEK} weeks` : `every ${days} days`;
  }
  if (every % SECONDS_PER_HOUR === 0) return every === SECONDS_PER_HOUR ? "hourly" : `every ${every / SECONDS_PER_HOUR} hours`;
  if (every % SECONDS_PER_MINUTE === 0) return `every ${every / SECONDS_PER_MINUTE} minutes`;
  return `every ${every} s`;
}

/**
 * A start as typed: "now" (or empty), a UTC day "YYYY-MM-DD" (its first second) or a UTC time
 * "YYYY-MM-DDTHH:MM". 0 means now (the contract then charges the first period at once). Not in the past.
 */
export function parseStart(input: string, nowSeconds: number = Date.now() / 1000): Parsed<number> {
  const text = input.trim();
  if (text === "" || text.toLowerCase() === "now") return ok(0);
  const time = parseUtc(text);
  if (!time.ok) return time;
  if (time.value < Math.floor(nowSeconds)) return fail(`the start ${text} is already past (times are UTC); use "now" to start now`);
  return ok(time.value);
}

/** An end date "YYYY-MM-DD" (UTC, its last second), or empty for none (0). Not in the past. */
export function parseEndDate(input: string, nowSeconds: number = Date.now() / 1000): Parsed<number> {
  const text = input.trim();
  if (text === "") return ok(0);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return fail(`an end date is written YYYY-MM-DD, e.g. 2026-12-31, not "${text}"`);
  const start = parseUtc(text);
  if (!start.ok) return start;
  const end = start.value + SECONDS_PER_DAY - 1;
  if (end < nowSeconds) return fail(`the end date ${text} is already over (dates are UTC days)`);
  return ok(end);
}

function parseUtc(text: string): Parsed<number> {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/.exec(text);
  if (!match) return fail(`a time is written YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC), not "${text}"`);
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(match[i] ?? 0)) as [number, number, number, number, number];
  const millis = Date.UTC(year, month - 1, day, hour, minute);
  const date = new Date(millis);
  if (Number.isNaN(millis) || date.getUTCDate() !== day || date.getUTCMonth() !== month - 1 || hour > 23 || minute > 59)
    return fail(`${text} is not a date`);
  return ok(millis / 1000);
}

/** A count of periods as typed: empty for none (0), otherwise a whole number from 1. */
export function parsePeriodCount(input: string): Parsed<number> {
  const text = input.trim();
  if (text === "") return ok(0);
  if (!/^\d{1,10}$/.test(text) || Number(text) === 0 || Number(text) >= UNTIL_CANCELLED)
    return fail(`a number of payments is a whole number from 1, not "${text}"`);
  return ok(Number(text));
}

/** Retries after a refused charge, as typed: 0 to `MAX_RETRIES`. */
export function parseRetries(input: string): Parsed<number> {
  const text = input.trim();
  if (!/^\d{1,3}$/.test(text) || Number(text) > ORDER_LIMITS.MAX_RETRIES)
    return fail(`retries are a whole number from 0 to ${ORDER_LIMITS.MAX_RETRIES}, not "${text}"`);
  return ok(Number(text));
}

/** A plan's name as the contract bounds it (it is each charge's invoice reference). */
export function parsePlanName(input: string): Parsed<string> {
  return boundedText(input.trim(), "the plan's name", { min: 1, max: ORDER_LIMITS.MAX_PLAN_NAME_LENGTH });
}

/** Trial days as typed: 0 to `MAX_TRIAL_DAYS`. */
export function parseTrialDays(input: string): Parsed<number> {
  const text = input.trim();
  if (text === "") return ok(0);
  if (!/^\d{1,4}$/.test(text) || Number(text) > ORDER_LIMITS.MAX_TRIAL_DAYS)
    return fail(`a trial is a whole number of days from 0 to ${ORDER_LIMITS.MAX_TRIAL_DAYS}, not "${text}"`);
  return ok(Number(text));
}

/** A milestone's description as the contract bounds it. */
export function parseMilestoneDescription(input: string): Parsed<string> {
  return boundedText(input.trim(), "the milestone's description", { min: 1, max: COMMITMENT_LIMITS.MAX_DESCRIPTION_LENGTH });
}

/** A commitment's deadline "YYYY-MM-DD" (UTC, its last second): in the future, within `MAX_DURATION`. */
export function parseDeadline(input: string, nowSeconds: number = Date.now() / 1000): Parsed<number> {
  if (input.trim() === "") return fail("a commitment needs a deadline, YYYY-MM-DD");
  const end = parseEndDate(input, nowSeconds);
  if (!end.ok) return end;
  if (end.value - nowSeconds > COMMITMENT_LIMITS.MAX_DURATION)
    return fail(`a deadline is at most ${Math.round(COMMITMENT_LIMITS.MAX_DURATION / SECONDS_PER_DAY / 365)} years away`);
  return ok(end.value);
}

/** The subscribe page of a plan, under the web app's origin. */
export function subscribePath(chainId: number, planId: number): string {
  return `/subscribe/${chainId}/${planId}`;
}

/** `/subscribe/<chainId>/<planId>` back to its numbers; undefined for any other path. */
export function parseSubscribePath(path: string): { chainId: number; planId: number } | undefined {
  const match = /^\/subscribe\/(\d{1,12})\/(\d{1,10})\/?$/.exec(path);
  if (!match) return undefined;
  const planId = Number(match[2]);
  return planId >= 1 && planId <= Number(UINT32_MASK) ? { chainId: Number(match[1]), planId } : undefined;
}
