/**
 * `order`, `plan`, `commitment` and `keeper`: standing orders, subscriptions and milestone commitments
 * (SovrOrders, SovrCommitments), and the keeper that charges what falls due, which anyone may run.
 */
import {
  COMMITMENT_LIMITS,
  formatDollars,
  formatInterval,
  milestoneTransferId,
  ORDER_LIMITS,
  type OrderSchedule,
  orderDueAt,
  parseDeadline,
  parseEndDate,
  parseInterval,
  parseMilestoneDescription,
  parsePeriodCount,
  parsePlanName,
  parseRetries,
  parseStart,
  parseTrialDays,
  periodUnits,
  sovrCommitmentsAbi,
  sovrOrdersAbi,
  subscribePath,
  UNTIL_CANCELLED,
} from "@sovr/contracts";
import { fields, indexerUrlFrom } from "@sovr/indexer/client";
import { stuckAfterMs } from "@sovr/runtime/chains";
import { createWalletClient, getAddress, parseEventLogs, zeroAddress } from "viem";
import { z } from "zod";
import { connectChain } from "../chain.ts";
import {
  chargePeriods,
  DEFAULT_CHARGE_BATCH,
  dueWork,
  emptyPass,
  type KeeperChain,
  keeperPass,
  type PassResult,
  startKeeper,
} from "../keeper.ts";
import { parseAccountRef, parseAddress, parseChoice, parseDollars, parseId, UsageError } from "./args.ts";
import { chainClient, openSigning, rpcUrlsOf, type SigningSession, send } from "./chain.ts";
import { indexerOf } from "./indexer.ts";
import { webUrlOf } from "./invoices.ts";
import { payeeAccountOf } from "./ledger.ts";
import { indexedNotes, isoTime, noMoreArguments, refuseFlags, subverb, table, text, type Values, type Verb } from "./verb.ts";

/** Due dates shown ahead of an order's next charge. */
const UPCOMING = 3;
const ORDER_STATUSES = ["Active", "Cancelled", "Completed"] as const;
const COMMITMENT_STATUSES = ["Active", "Completed", "Cancelled", "Expired"] as const;

/** A parsed flag value, or the flag's reason as a usage error. */
function parsed<T>(result: { ok: true; value: T } | { ok: false; error: string }, flag: string): T {
  if (!result.ok) throw new UsageError(`${flag}: ${result.error}`);
  return result.value;
}

/** Only the flags a subverb takes. */
function only(what: string, values: Values, all: string[], allowed: string[]) {
  refuseFlags(
    what,
    values,
    all.filter((name) => !allowed.includes(name)),
  );
}

// ================================================================ orders

const indexedOrder = z.object({
  id: fields.bigint,
  payer: fields.hex,
  payerAccountId: fields.bigint,
  payeeAccountId: fields.bigint,
  payee: fields.hex,
  amount: fields.bigint,
  maxAmount: fields.bigint,
  startAt: fields.bigint,
  every: z.number().int(),
  unit: z.enum(periodUnits),
  periods: fields.bigint,
  retries: z.number().int(),
  retryEvery: z.number().int(),
  planId: z.number().int(),
  status: z.enum(ORDER_STATUSES),
  settledThrough: fields.bigint,
  nextChargeAt: fields.bigint.nullable(),
  chargedCount: z.number().int(),
  chargedTotal: fields.bigint,
  missedCount: z.number().int(),
  failedAttempts: z.number().int(),
  lastChargedAt: fields.bigint.nullable(),
  createdAt: fields.bigint,
});
type IndexedOrder = z.infer<typeof indexedOrder>;
const ORDER_FIELDS =
  "id payer payerAccountId payeeAccountId payee amount maxAmount startAt every unit periods retries retryEvery planId status settledThrough nextChargeAt chargedCount chargedTotal missedCount failedAttempts lastChargedAt createdAt";

const indexedPeriod = z.object({
  period: fields.bigint,
  status: z.enum(["Charged", "Failing", "Missed"]),
  dueAt: fields.bigint,
  amount: fields.bigint.nullable(),
  transferId: fields.bigint.nullable(),
  chargedAt: fields.bigint.nullable(),
  attempts: z.number().int(),
  retryAt: fields.bigint.nullable(),
  lastResult: z.string().nullable(),
});

const scheduleOf = (order: IndexedOrder): OrderSchedule => ({
  startAt: order.startAt,
  every: order.every,
  unit: order.unit,
  periods: Number(order.periods),
});

/** The next `count` due dates from the first period not settled. */
function upcoming(order: IndexedOrder, count: number): string[] {
  if (order.status !== "Active") return [];
  const schedule = scheduleOf(order);
  const dates: string[] = [];
  for (let period = Number(order.settledThrough); period < schedule.periods && dates.length < count; period++) {
    dates.push(isoTime(orderDueAt(schedule, period)));
  }
  return dates;
}

function describeOrder(order: IndexedOrder) {
  const periods = Number(order.periods);
  return {
    id: order.id.toString(),
    status: order.status,
    payer: getAddress(order.payer),
    payerAccountId: order.payerAccountId.toString(),
    payee: getAddress(order.payee),
    payeeAccountId: order.payeeAccountId.toString(),
    amount: formatDollars(order.amount),
    maxAmount: formatDollars(order.maxAmount),
    interval: formatInterval(order.every, order.unit),
    startsAt: isoTime(order.startAt),
    periods: periods === UNTIL_CANCELLED ? null : periods,
    retries: order.retries,
    retryEverySeconds: order.retryEvery,
    planId: order.planId === 0 ? null : order.planId,
    charged: order.chargedCount,
    chargedTotal: formatDollars(order.chargedTotal),
    missed: order.missedCount,
    failedAttempts: order.failedAttempts,
    nextChargeAt: order.nextChargeAt === null ? null : isoTime(order.nextChargeAt),
    upcoming: upcoming(order, UPCOMING),
  };
}

async function readOrder(env: NodeJS.ProcessEnv, id: bigint) {
  const data = await indexerOf(env).graphql(
    `query ($id: BigInt!, $order: BigInt) {
      standingOrder(id: $id) { ${ORDER_FIELDS} }
      orderPeriods(where: { orderId: $order }, orderBy: "period", orderDirection: "asc", limit: 1000) {
        items { period status dueAt amount transferId chargedAt attempts retryAt lastResult }
      }
    }`,
    { id: id.toString(), order: id.toString() },
    z.object({ standingOrder: indexedOrder.nullable(), orderPeriods: z.object({ items: z.array(indexedPeriod) }) }),
  );
  if (!data.standingOrder) throw new UsageError(`there is no order ${id}`);
  return { order: data.standingOrder, periods: data.orderPeriods.items };
}

const ORDER_FLAGS = ["to", "amount", "max", "every", "start", "count", "until", "retries", "retry-every", "payer", "payee", "status"];

async function createOrder(values: Values, env: NodeJS.ProcessEnv) {
  const to = parseAccountRef(text(values, "to"), "--to");
  const amount = parseDollars(text(values, "amount"), "--amount");
  const maxAmount = values.max === undefined ? amount : parseDollars(text(values, "max"), "--max");
  if (maxAmount < amount) throw new UsageError(`--max ${formatDollars(maxAmount)} is below --amount ${formatDollars(amount)}`);
  const interval = parsed(parseInterval(text(values, "every") ?? "monthly"), "--every");
  const startAt = parsed(parseStart(text(values, "start") ?? ""), "--start");
  const periods = parsed(parsePeriodCount(text(values, "count") ?? ""), "--count");
  const endAt = parsed(parseEndDate(text(values, "until") ?? ""), "--until");
  if (endAt !== 0 && startAt !== 0 && endAt < startAt) throw new UsageError("--until is before --start");
  const retries = parsed(parseRetries(text(values, "retries") ?? "3"), "--retries");
  const retryEvery = parsed(parseInterval(text(values, "retry-every") ?? "daily"), "--retry-every");
  if (retryEvery.unit !== "Seconds") throw new UsageError("--retry-every is days, hours or minutes, not months");

  const session = await openSigning(env);
  const notes: string[] = [];
  const payeeAccountId = await payeeAccountOf(session, to, "--to", notes);
  const { receipt } = await send(session, "order", {
    address: session.deployment.orders,
    abi: sovrOrdersAbi,
    functionName: "createOrder",
    args: [
      payeeAccountId,
      amount,
      maxAmount,
      { startAt, every: interval.every, unit: periodUnits.indexOf(interval.unit), periods, endAt },
      { retries, retryEvery: retryEvery.every },
    ],
  });
  const created = parseEventLogs({ abi: sovrOrdersAbi, logs: receipt.logs, eventName: "OrderCreated" })[0];
  if (!created) throw new Error(`transaction ${receipt.transactionHash} created no order`);
  notes.push(...(await indexedNotes(env, receipt)));
  const { order } = await readOrder(env, created.args.id);
  const data = { ...describeOrder(order), chargedNow: startAt === 0, txHash: receipt.transactionHash };
  const count = data.periods === null ? "until cancelled" : `${data.periods} payment${data.periods === 1 ? "" : "s"}`;
  const first = data.chargedNow ? "the first charged now" : `the first on ${data.startsAt}`;
  return {
    data,
    notes,
    text: `order ${data.id}: ${data.amount} ${data.interval} to ${data.payee} (account ${data.payeeAccountId}), ${count}; ${first}`,
  };
}

async function listOrders(values: Values, env: NodeJS.ProcessEnv) {
  const where: Record<string, unknown> = {};
  if (values.payer !== undefined) where.payer = parseAddress(text(values, "payer"), "--payer").toLowerCase();
  if (values.payee !== undefined) where.payee = parseAddress(text(values, "payee"), "--payee").toLowerCase();
  if (values.status !== undefined) where.status = parseChoice(text(values, "status"), "--status", ORDER_STATUSES);
  const rows = await indexerOf(env).allPages(
    "standingOrders",
    `query ($after: String, $where: standingOrderFilter) {
      standingOrders(limit: 1000, after: $after, where: $where, orderBy: "id", orderDirection: "desc") {
        items { ${ORDER_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
    { where },
    indexedOrder,
  );
  const list = rows.map(describeOrder);
  if (list.length === 0) return { data: list, text: "no orders" };
  return {
    data: list,
    text: table(
      ["order", "status", "amount", "interval", "payer", "payee", "charged", "next charge"],
      list.map((o) => [o.id, o.status, o.amount, o.interval, o.payer, o.payee, `${o.charged} (${o.chargedTotal})`, o.nextChargeAt ?? "-"]),
    ),
  };
}

async function showOrder(id: bigint, env: NodeJS.ProcessEnv) {
  const { order, periods } = await readOrder(env, id);
  const data = {
    ...describeOrder(order),
    history: periods.map((p) => ({
      period: Number(p.period),
      status: p.status,
      dueAt: isoTime(p.dueAt),
      amount: p.amount === null ? null : formatDollars(p.amount),
      chargedAt: p.chargedAt === null ? null : isoTime(p.chargedAt),
      transferId: p.transferId?.toString() ?? null,
      attempts: p.attempts,
      retryAt: p.retryAt === null ? null : isoTime(p.retryAt),
      lastResult: p.lastResult,
    })),
  };
  const lines = [
    `order ${data.id}: ${data.status}, ${data.amount} ${data.interval} (cap ${data.maxAmount}), ${data.charged} charged (${data.chargedTotal}), ${data.missed} missed`,
    `  payer    ${data.payer} (account ${data.payerAccountId})`,
    `  payee    ${data.payee} (account ${data.payeeAccountId})${data.planId ? `, plan ${data.planId}` : ""}`,
    `  from     ${data.startsAt}, ${data.periods === null ? "until cancelled" : `${data.periods} payments`}; ${data.retries} retries ${data.retryEverySeconds} s apart`,
    ...data.history.map((p) =>
      p.status === "Charged"
        ? `  #${p.period}       charged ${p.amount} at ${p.chargedAt} (due ${p.dueAt}, transfer ${p.transferId})`
        : `  #${p.period}       ${p.status === "Missed" ? "missed" : `failing, next attempt ${p.retryAt}`} after ${p.attempts} attempt${p.attempts === 1 ? "" : "s"} (${p.lastResult})`,
    ),
    ...(data.upcoming.length ? [`  next     ${data.upcoming.join(", ")}`] : []),
  ];
  return { data, text: lines.join("\n") };
}

async function cancelOrder(id: bigint, env: NodeJS.ProcessEnv) {
  const session = await openSigning(env);
  const { receipt } = await send(session, "cancel", {
    address: session.deployment.orders,
    abi: sovrOrdersAbi,
    functionName: "cancelOrder",
    args: [id],
  });
  const notes = await indexedNotes(env, receipt);
  return {
    data: { id: id.toString(), status: "Cancelled", txHash: receipt.transactionHash },
    notes,
    text: `order ${id} cancelled: nothing more is charged`,
  };
}

async function changeAmount(id: bigint, values: Values, env: NodeJS.ProcessEnv) {
  const amount = parseDollars(text(values, "amount"), "--amount");
  const session = await openSigning(env);
  const { receipt } = await send(session, "amount change", {
    address: session.deployment.orders,
    abi: sovrOrdersAbi,
    functionName: "setOrderAmount",
    args: [id, amount],
  });
  const notes = await indexedNotes(env, receipt);
  return {
    data: { id: id.toString(), amount: formatDollars(amount), txHash: receipt.transactionHash },
    notes,
    text: `order ${id}: the next charges are ${formatDollars(amount)}`,
  };
}

/**
 * What the signer's key can do as a keeper: the chain as `sovr up` connects to it (its profile's polling, so a
 * receipt is seen as soon as the chain's pace allows), its key and the contracts.
 */
async function keeperChain(session: SigningSession, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<KeeperChain> {
  const connection = await connectChain(rpcUrlsOf(env), env);
  return {
    client: connection.client,
    wallet: createWalletClient({ account: session.signer, chain: connection.chain, transport: connection.transport }),
    ledger: session.deployment.ledger,
    orders: session.deployment.orders,
    send: { stuckAfterMs: stuckAfterMs(connection.profile), log },
    log,
  };
}

function passText(result: PassResult): string {
  const refused = result.failed + result.gaveUp;
  return `charged ${result.charged}, refused ${refused}, released ${result.released} in ${result.transactions} transaction${result.transactions === 1 ? "" : "s"}`;
}

function passData(result: PassResult) {
  return { ...result, gas: result.gas.toString() };
}

/** Charges the due periods of the named orders (or of every order) now, from the signer's key. */
async function chargeNow(ids: bigint[], env: NodeJS.ProcessEnv) {
  const session = await openSigning(env);
  const head = await session.client.getBlock({ blockTag: "latest" });
  const work = await dueWork(indexerOf(env), head.timestamp);
  const due = ids.length === 0 ? work.charges : work.charges.filter((item) => ids.includes(item.orderId));
  const notes: string[] = [];
  const result = emptyPass();
  await chargePeriods(
    await keeperChain(session, env, (line) => notes.push(line.replace(/^sovr: /, ""))),
    due,
    DEFAULT_CHARGE_BATCH,
    result,
  );
  if (result.transactions === 0) return { data: passData(result), notes, text: "nothing due" };
  const latest = await session.client.getBlockNumber();
  const problem = await indexerOf(env).waitUntilIndexed(latest);
  if (problem) notes.push(`done on-chain, not yet in the index: ${problem}`);
  return { data: passData(result), notes, text: passText(result) };
}

export const order: Verb = {
  name: "order",
  summary: "standing orders: create, list, show, cancel, amount (payee, within the cap), charge what is due",
  help: `usage: pnpm sovr order create --to <account|address> --amount <dollars> [--max <dollars>] [--every <interval>]
                              [--start now|YYYY-MM-DD[THH:MM]] [--count <n>] [--until YYYY-MM-DD]
                              [--retries <n>] [--retry-every <interval>] [--json]
       pnpm sovr order list [--payer <address>] [--payee <address>] [--status Active|Cancelled|Completed] [--json]
       pnpm sovr order show <id> [--json]
       pnpm sovr order cancel <id> [--json]
       pnpm sovr order amount <id> --amount <dollars> [--json]
       pnpm sovr order charge [<id> ...] [--json]

create   authorizes the account --to to be paid from your primary account every period
  --amount <dollars>     each charge
  --max <dollars>        the most one charge may ever be (default: --amount); the payee may change the amount up to it
  --every <interval>     monthly (default), quarterly, yearly, weekly, daily, "3 months", "14d", "12h" (at least ${ORDER_LIMITS.MIN_INTERVAL_SECONDS} s);
                         months fall due on the start's day, or on a shorter month's last day
  --start <when>         now (default: the first charge is made at once) or a UTC day or time
  --count <n>, --until <date>  how many payments, or the last day one may fall due (neither: until cancelled)
  --retries <n>          attempts after a refused charge (default 3, at most ${ORDER_LIMITS.MAX_RETRIES}), --retry-every apart (default daily);
                         then the period is missed and the order goes on
list     orders, newest first, with their next charge
show     one order: every charge, refusal and missed period, and the next due dates
cancel   stops an order (its payer or its payee); what was charged stays charged
amount   the payee changes the amount of the next charges, never above the payer's --max
charge   charges what is due now (anyone may, from any key with gas): each period at most once, whoever asks`,
  options: {
    to: { type: "string" },
    amount: { type: "string" },
    max: { type: "string" },
    every: { type: "string" },
    start: { type: "string" },
    count: { type: "string" },
    until: { type: "string" },
    retries: { type: "string" },
    "retry-every": { type: "string" },
    payer: { type: "string" },
    payee: { type: "string" },
    status: { type: "string" },
  },
  async run({ positionals, values, env }) {
    const action = subverb("order", positionals, ["create", "list", "show", "cancel", "amount", "charge"] as const);
    const allow = (allowed: string[]) => only(`order ${action}`, values, ORDER_FLAGS, allowed);
    if (action === "create") {
      noMoreArguments("order create", positionals, 1);
      allow(["to", "amount", "max", "every", "start", "count", "until", "retries", "retry-every"]);
      return createOrder(values, env);
    }
    if (action === "list") {
      noMoreArguments("order list", positionals, 1);
      allow(["payer", "payee", "status"]);
      return listOrders(values, env);
    }
    if (action === "charge") {
      allow([]);
      return chargeNow(
        positionals.slice(1).map((id) => parseId(id, "order id", 64)),
        env,
      );
    }
    const id = parseId(positionals[1], "order id", 64);
    noMoreArguments(`order ${action}`, positionals, 2);
    if (action === "show") {
      allow([]);
      return showOrder(id, env);
    }
    if (action === "cancel") {
      allow([]);
      return cancelOrder(id, env);
    }
    allow(["amount"]);
    return changeAmount(id, values, env);
  },
};

// ================================================================ plans

const indexedPlan = z.object({
  id: z.number().int(),
  payeeAccountId: fields.bigint,
  payee: fields.hex,
  price: fields.bigint,
  every: z.number().int(),
  unit: z.enum(periodUnits),
  trialDays: z.number().int(),
  name: z.string(),
  retired: z.boolean(),
  activeSubscriptions: z.number().int(),
  createdAt: fields.bigint,
});
type IndexedPlan = z.infer<typeof indexedPlan>;
const PLAN_FIELDS = "id payeeAccountId payee price every unit trialDays name retired activeSubscriptions createdAt";
const PLAN_FLAGS = ["name", "price", "every", "trial", "account", "max", "payee", "all"];

function describePlan(plan: IndexedPlan, chainId: number, env: NodeJS.ProcessEnv) {
  return {
    id: plan.id,
    name: plan.name,
    price: formatDollars(plan.price),
    interval: formatInterval(plan.every, plan.unit),
    trialDays: plan.trialDays,
    payee: getAddress(plan.payee),
    payeeAccountId: plan.payeeAccountId.toString(),
    retired: plan.retired,
    activeSubscriptions: plan.activeSubscriptions,
    subscribeUrl: `${webUrlOf(env)}${subscribePath(chainId, plan.id)}`,
  };
}

async function readPlan(env: NodeJS.ProcessEnv, id: number): Promise<IndexedPlan> {
  const data = await indexerOf(env).graphql(
    `query ($id: Int!) { plan(id: $id) { ${PLAN_FIELDS} } }`,
    { id },
    z.object({ plan: indexedPlan.nullable() }),
  );
  if (!data.plan) throw new UsageError(`there is no plan ${id}`);
  return data.plan;
}

async function publishPlan(values: Values, env: NodeJS.ProcessEnv) {
  const name = parsed(parsePlanName(text(values, "name") ?? ""), "--name");
  const price = parseDollars(text(values, "price"), "--price");
  const interval = parsed(parseInterval(text(values, "every") ?? "monthly"), "--every");
  const trialDays = parsed(parseTrialDays(text(values, "trial") ?? ""), "--trial");
  const explicitAccount = values.account === undefined ? undefined : parseAccountRef(text(values, "account"), "--account");
  const session = await openSigning(env);
  const notes: string[] = [];
  const payeeAccountId = await payeeAccountOf(
    session,
    explicitAccount ?? { kind: "address", address: session.signer.address },
    "--account",
    notes,
  );
  const { receipt } = await send(session, "plan", {
    address: session.deployment.orders,
    abi: sovrOrdersAbi,
    functionName: "publishPlan",
    args: [payeeAccountId, price, interval.every, periodUnits.indexOf(interval.unit), trialDays, name],
  });
  const published = parseEventLogs({ abi: sovrOrdersAbi, logs: receipt.logs, eventName: "PlanPublished" })[0];
  if (!published) throw new Error(`transaction ${receipt.transactionHash} published no plan`);
  notes.push(...(await indexedNotes(env, receipt)));
  const data = { ...describePlan(await readPlan(env, published.args.id), session.chainId, env), txHash: receipt.transactionHash };
  const trial = trialDays ? `, ${trialDays}-day trial` : "";
  return { data, notes, text: `plan ${data.id} "${data.name}": ${data.price} ${data.interval}${trial}\nsubscribe at ${data.subscribeUrl}` };
}

async function listPlans(values: Values, env: NodeJS.ProcessEnv) {
  const where: Record<string, unknown> = {};
  if (values.payee !== undefined) where.payee = parseAddress(text(values, "payee"), "--payee").toLowerCase();
  if (values.all !== true) where.retired = false;
  const indexer = indexerOf(env);
  const [rows, chainId] = await Promise.all([
    indexer.allPages(
      "plans",
      `query ($after: String, $where: planFilter) {
        plans(limit: 1000, after: $after, where: $where, orderBy: "id", orderDirection: "desc") {
          items { ${PLAN_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
      { where },
      indexedPlan,
    ),
    openChainId(env),
  ]);
  const list = rows.map((plan) => describePlan(plan, chainId, env));
  if (list.length === 0) return { data: list, text: "no plans" };
  return {
    data: list,
    text: table(
      ["plan", "name", "price", "interval", "trial", "subscriptions", "payee", ""],
      list.map((p) => [
        String(p.id),
        p.name,
        p.price,
        p.interval,
        p.trialDays ? `${p.trialDays} d` : "-",
        String(p.activeSubscriptions),
        p.payee,
        p.retired ? "retired" : "",
      ]),
    ),
  };
}

/** The chain id, for subscribe links, read without a key. */
function openChainId(env: NodeJS.ProcessEnv): Promise<number> {
  return chainClient(env).getChainId();
}

async function showPlan(id: number, env: NodeJS.ProcessEnv) {
  const [plan, chainId] = await Promise.all([readPlan(env, id), openChainId(env)]);
  const data = describePlan(plan, chainId, env);
  const lines = [
    `plan ${data.id} "${data.name}": ${data.price} ${data.interval}${data.trialDays ? `, ${data.trialDays}-day trial` : ""}${data.retired ? " (retired)" : ""}`,
    `  payee          ${data.payee} (account ${data.payeeAccountId})`,
    `  subscriptions  ${data.activeSubscriptions} active`,
    `  subscribe at   ${data.subscribeUrl}`,
  ];
  return { data, text: lines.join("\n") };
}

async function retirePlan(id: number, env: NodeJS.ProcessEnv) {
  const session = await openSigning(env);
  const { receipt } = await send(session, "retire", {
    address: session.deployment.orders,
    abi: sovrOrdersAbi,
    functionName: "retirePlan",
    args: [id],
  });
  const notes = await indexedNotes(env, receipt);
  return {
    data: { id, retired: true, txHash: receipt.transactionHash },
    notes,
    text: `plan ${id} retired: no new subscriptions; existing ones go on`,
  };
}

async function subscribe(id: number, values: Values, env: NodeJS.ProcessEnv) {
  const plan = await readPlan(env, id);
  const maxAmount = values.max === undefined ? plan.price : parseDollars(text(values, "max"), "--max");
  if (maxAmount < plan.price)
    throw new UsageError(`--max ${formatDollars(maxAmount)} is below the plan's price ${formatDollars(plan.price)}`);
  const session = await openSigning(env);
  const { receipt } = await send(session, "subscribe", {
    address: session.deployment.orders,
    abi: sovrOrdersAbi,
    functionName: "subscribe",
    args: [id, maxAmount],
  });
  const subscribed = parseEventLogs({ abi: sovrOrdersAbi, logs: receipt.logs, eventName: "Subscribed" })[0];
  if (!subscribed) throw new Error(`transaction ${receipt.transactionHash} subscribed to nothing`);
  const notes = await indexedNotes(env, receipt);
  const { order: subscription } = await readOrder(env, subscribed.args.orderId);
  const data = { ...describeOrder(subscription), txHash: receipt.transactionHash };
  const first = plan.trialDays ? `first charge on ${data.startsAt}` : "the first charge was made now, with its paid invoice";
  return { data, notes, text: `subscribed to plan ${id} "${plan.name}" as order ${data.id}: ${data.amount} ${data.interval}; ${first}` };
}

export const plan: Verb = {
  name: "plan",
  summary: "subscription plans: publish (prints the subscribe link), list, show, retire, subscribe",
  help: `usage: pnpm sovr plan publish --name <text> --price <dollars> [--every <interval>] [--trial <days>] [--account <id>] [--json]
       pnpm sovr plan list [--payee <address>] [--all] [--json]
       pnpm sovr plan show <id> [--json]
       pnpm sovr plan retire <id> [--json]
       pnpm sovr plan subscribe <id> [--max <dollars>] [--json]

publish    a plan paid into your primary account (opened if you have none) or --account
  --name <text>      up to ${ORDER_LIMITS.MAX_PLAN_NAME_LENGTH} bytes; each charge's invoice carries it as its reference
  --every <interval> monthly (default), yearly, weekly, "3 months", ...
  --trial <days>     days before the first charge (default 0, at most ${ORDER_LIMITS.MAX_TRIAL_DAYS})
list       plans taking subscriptions (--all: retired ones too)
retire     no new subscriptions; existing ones go on
subscribe  a standing order at the plan's price until you cancel it (pnpm sovr order cancel); each charge issues a
           paid invoice; --max is the most a charge may ever be (default: the price)

Subscribe links use SOVR_WEB_URL (default http://127.0.0.1:$SOVR_WEB_PORT, port 5173).`,
  options: {
    name: { type: "string" },
    price: { type: "string" },
    every: { type: "string" },
    trial: { type: "string" },
    account: { type: "string" },
    max: { type: "string" },
    payee: { type: "string" },
    all: { type: "boolean" },
  },
  async run({ positionals, values, env }) {
    const action = subverb("plan", positionals, ["publish", "list", "show", "retire", "subscribe"] as const);
    const allow = (allowed: string[]) => only(`plan ${action}`, values, PLAN_FLAGS, allowed);
    if (action === "publish") {
      noMoreArguments("plan publish", positionals, 1);
      allow(["name", "price", "every", "trial", "account"]);
      return publishPlan(values, env);
    }
    if (action === "list") {
      noMoreArguments("plan list", positionals, 1);
      allow(["payee", "all"]);
      return listPlans(values, env);
    }
    const id = Number(parseId(positionals[1], "plan id", 32));
    noMoreArguments(`plan ${action}`, positionals, 2);
    if (action === "show") {
      allow([]);
      return showPlan(id, env);
    }
    if (action === "retire") {
      allow([]);
      return retirePlan(id, env);
    }
    allow(["max"]);
    return subscribe(id, values, env);
  },
};

// ================================================================ commitments

const indexedCommitment = z.object({
  id: fields.bigint,
  payer: fields.hex,
  payeeAccountId: fields.bigint,
  payee: fields.hex,
  arbiter: fields.hex.nullable(),
  deadline: fields.bigint,
  total: fields.bigint,
  milestoneCount: z.number().int(),
  approvedCount: z.number().int(),
  posted: fields.bigint,
  released: fields.bigint,
  status: z.enum(COMMITMENT_STATUSES),
  createdAt: fields.bigint,
});
type IndexedCommitment = z.infer<typeof indexedCommitment>;
const COMMITMENT_FIELDS =
  "id payer payeeAccountId payee arbiter deadline total milestoneCount approvedCount posted released status createdAt";
const indexedMilestone = z.object({
  index: z.number().int(),
  amount: fields.bigint,
  description: z.string(),
  status: z.enum(["Reserved", "Approved", "Voided", "Expired"]),
  approvedBy: fields.hex.nullable(),
  resolvedAt: fields.bigint.nullable(),
});
const COMMITMENT_FLAGS = ["to", "milestone", "deadline", "arbiter", "payer", "payee", "status"];

function describeCommitment(c: IndexedCommitment) {
  return {
    id: c.id.toString(),
    status: c.status,
    payer: getAddress(c.payer),
    payee: getAddress(c.payee),
    payeeAccountId: c.payeeAccountId.toString(),
    arbiter: c.arbiter ? getAddress(c.arbiter) : null,
    deadline: isoTime(c.deadline),
    total: formatDollars(c.total),
    paid: formatDollars(c.posted),
    released: formatDollars(c.released),
    reserved: formatDollars(c.total - c.posted - c.released),
    progress: `${c.approvedCount} of ${c.milestoneCount}`,
  };
}

/** One `--milestone "<description>|<dollars>"`. */
function parseMilestone(textValue: string, index: number) {
  const flag = `--milestone ${index + 1}`;
  const parts = textValue.split("|");
  if (parts.length !== 2) throw new UsageError(`${flag}: write it as "description|dollars", e.g. "Design approved|1500.00"`);
  return { description: parsed(parseMilestoneDescription(parts[0]!), flag), amount: parseDollars(parts[1], `${flag} amount`) };
}

async function createCommitment(values: Values, env: NodeJS.ProcessEnv) {
  const to = parseAccountRef(text(values, "to"), "--to");
  const texts = (values.milestone as unknown as string[] | undefined) ?? [];
  if (texts.length === 0) throw new UsageError('--milestone is required: one or more "description|dollars"');
  if (texts.length > COMMITMENT_LIMITS.MAX_MILESTONES)
    throw new UsageError(`at most ${COMMITMENT_LIMITS.MAX_MILESTONES} milestones, not ${texts.length}`);
  const milestones = texts.map(parseMilestone);
  const deadline = parsed(parseDeadline(text(values, "deadline") ?? ""), "--deadline");
  const arbiter = values.arbiter === undefined ? zeroAddress : parseAddress(text(values, "arbiter"), "--arbiter");
  const session = await openSigning(env);
  if (arbiter === session.signer.address)
    throw new UsageError("--arbiter is yourself; an arbiter is someone other than the payer and payee");
  const notes: string[] = [];
  const payeeAccountId = await payeeAccountOf(session, to, "--to", notes);
  const { receipt } = await send(session, "commitment", {
    address: session.deployment.commitments,
    abi: sovrCommitmentsAbi,
    functionName: "createCommitment",
    args: [payeeAccountId, arbiter, deadline, milestones],
  });
  const created = parseEventLogs({ abi: sovrCommitmentsAbi, logs: receipt.logs, eventName: "CommitmentCreated" })[0];
  if (!created) throw new Error(`transaction ${receipt.transactionHash} made no commitment`);
  notes.push(...(await indexedNotes(env, receipt)));
  const id = created.args.id;
  const data = {
    id: id.toString(),
    total: formatDollars(created.args.total),
    deadline: isoTime(deadline),
    milestones: milestones.map((m, index) => ({
      number: index + 1,
      description: m.description,
      amount: formatDollars(m.amount),
      transferId: milestoneTransferId(id, index).toString(),
    })),
    txHash: receipt.transactionHash,
  };
  return {
    data,
    notes,
    text: `commitment ${id}: ${data.total} reserved in ${milestones.length} milestone${milestones.length === 1 ? "" : "s"} until ${data.deadline}`,
  };
}

async function readCommitment(env: NodeJS.ProcessEnv, id: bigint) {
  const data = await indexerOf(env).graphql(
    `query ($id: BigInt!, $commitment: BigInt) {
      commitment(id: $id) { ${COMMITMENT_FIELDS} }
      milestones(where: { commitmentId: $commitment }, orderBy: "index", orderDirection: "asc", limit: 100) {
        items { index amount description status approvedBy resolvedAt }
      }
    }`,
    { id: id.toString(), commitment: id.toString() },
    z.object({ commitment: indexedCommitment.nullable(), milestones: z.object({ items: z.array(indexedMilestone) }) }),
  );
  if (!data.commitment) throw new UsageError(`there is no commitment ${id}`);
  return { commitment: data.commitment, milestones: data.milestones.items };
}

async function listCommitments(values: Values, env: NodeJS.ProcessEnv) {
  const where: Record<string, unknown> = {};
  if (values.payer !== undefined) where.payer = parseAddress(text(values, "payer"), "--payer").toLowerCase();
  if (values.payee !== undefined) where.payee = parseAddress(text(values, "payee"), "--payee").toLowerCase();
  if (values.status !== undefined) where.status = parseChoice(text(values, "status"), "--status", COMMITMENT_STATUSES);
  const rows = await indexerOf(env).allPages(
    "commitments",
    `query ($after: String, $where: commitmentFilter) {
      commitments(limit: 1000, after: $after, where: $where, orderBy: "id", orderDirection: "desc") {
        items { ${COMMITMENT_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
    { where },
    indexedCommitment,
  );
  const list = rows.map(describeCommitment);
  if (list.length === 0) return { data: list, text: "no commitments" };
  return {
    data: list,
    text: table(
      ["commitment", "status", "total", "paid", "reserved", "milestones", "payer", "payee", "deadline"],
      list.map((c) => [c.id, c.status, c.total, c.paid, c.reserved, c.progress, c.payer, c.payee, c.deadline]),
    ),
  };
}

async function showCommitment(id: bigint, env: NodeJS.ProcessEnv) {
  const { commitment, milestones } = await readCommitment(env, id);
  const data = {
    ...describeCommitment(commitment),
    milestones: milestones.map((m) => ({
      number: m.index + 1,
      description: m.description,
      amount: formatDollars(m.amount),
      status: m.status,
      approvedBy: m.approvedBy ? getAddress(m.approvedBy) : null,
      resolvedAt: m.resolvedAt === null ? null : isoTime(m.resolvedAt),
    })),
  };
  const lines = [
    `commitment ${data.id}: ${data.status}, ${data.progress} milestones approved; ${data.paid} paid, ${data.reserved} reserved, ${data.released} released of ${data.total}`,
    `  payer     ${data.payer}`,
    `  payee     ${data.payee} (account ${data.payeeAccountId})`,
    `  arbiter   ${data.arbiter ?? "none"}`,
    `  deadline  ${data.deadline}`,
    ...data.milestones.map(
      (m) => `  ${String(m.number).padEnd(9)} ${m.description}: ${m.amount}, ${m.status}${m.resolvedAt ? ` at ${m.resolvedAt}` : ""}`,
    ),
  ];
  return { data, text: lines.join("\n") };
}

async function approveMilestone(id: bigint, number: number, env: NodeJS.ProcessEnv) {
  const session = await openSigning(env);
  const { receipt } = await send(session, "approval", {
    address: session.deployment.commitments,
    abi: sovrCommitmentsAbi,
    functionName: "approveMilestone",
    args: [id, number - 1],
  });
  const notes = await indexedNotes(env, receipt);
  return {
    data: { id: id.toString(), milestone: number, status: "Approved", txHash: receipt.transactionHash },
    notes,
    text: `commitment ${id}: milestone ${number} approved and paid`,
  };
}

async function cancelCommitment(id: bigint, env: NodeJS.ProcessEnv) {
  const session = await openSigning(env);
  const { receipt } = await send(session, "cancel", {
    address: session.deployment.commitments,
    abi: sovrCommitmentsAbi,
    functionName: "cancelCommitment",
    args: [id],
  });
  const cancelled = parseEventLogs({ abi: sovrCommitmentsAbi, logs: receipt.logs, eventName: "CommitmentCancelled" })[0];
  const notes = await indexedNotes(env, receipt);
  const voided = cancelled?.args.voided ?? 0;
  return {
    data: { id: id.toString(), status: "Cancelled", released: voided, txHash: receipt.transactionHash },
    notes,
    text: `commitment ${id} cancelled: ${voided} milestone${voided === 1 ? "" : "s"} released to the payer; approved ones stay paid`,
  };
}

export const commitment: Verb = {
  name: "commitment",
  summary: "milestone commitments: create (reserves it all), list, show, approve a milestone, cancel",
  help: `usage: pnpm sovr commitment create --to <account|address> --milestone "<description>|<dollars>" [...]
                                   --deadline YYYY-MM-DD [--arbiter <address>] [--json]
       pnpm sovr commitment list [--payer <address>] [--payee <address>] [--status Active|Completed|Cancelled|Expired] [--json]
       pnpm sovr commitment show <id> [--json]
       pnpm sovr commitment approve <id> <milestone number> [--json]
       pnpm sovr commitment cancel <id> [--json]

create    reserves the whole amount from your primary account now, one reservation per milestone (at most ${COMMITMENT_LIMITS.MAX_MILESTONES})
  --deadline <date>    the last UTC day; after it, what is still reserved returns to you (the keeper releases it)
  --arbiter <address>  someone who may also approve milestones and cancel (default: nobody)
approve   pays a milestone's share to the payee (the payer or the arbiter); milestones are numbered from 1
cancel    releases every milestone still reserved back to the payer (the payee or the arbiter; not the payer alone)`,
  options: {
    to: { type: "string" },
    milestone: { type: "string", multiple: true },
    deadline: { type: "string" },
    arbiter: { type: "string" },
    payer: { type: "string" },
    payee: { type: "string" },
    status: { type: "string" },
  },
  async run({ positionals, values, env }) {
    const action = subverb("commitment", positionals, ["create", "list", "show", "approve", "cancel"] as const);
    const allow = (allowed: string[]) => only(`commitment ${action}`, values, COMMITMENT_FLAGS, allowed);
    if (action === "create") {
      noMoreArguments("commitment create", positionals, 1);
      allow(["to", "milestone", "deadline", "arbiter"]);
      return createCommitment(values, env);
    }
    if (action === "list") {
      noMoreArguments("commitment list", positionals, 1);
      allow(["payer", "payee", "status"]);
      return listCommitments(values, env);
    }
    const id = parseId(positionals[1], "commitment id", 64);
    allow([]);
    if (action === "approve") {
      const number = Number(parseId(positionals[2], "milestone number", 32));
      noMoreArguments("commitment approve", positionals, 3);
      if (number > COMMITMENT_LIMITS.MAX_MILESTONES)
        throw new UsageError(`a milestone number is 1 to ${COMMITMENT_LIMITS.MAX_MILESTONES}, not ${number}`);
      return approveMilestone(id, number, env);
    }
    noMoreArguments(`commitment ${action}`, positionals, 2);
    return action === "show" ? showCommitment(id, env) : cancelCommitment(id, env);
  },
};

// ================================================================ the keeper

/** Seconds between passes of `pnpm sovr keeper`. */
const KEEPER_INTERVAL_S = 5;

export const keeper: Verb = {
  name: "keeper",
  summary: "charges due standing orders and releases expired reservations, from your key, until stopped (or --once)",
  help: `usage: pnpm sovr keeper [--once] [--interval <seconds>] [--batch <n>] [--json]

Runs the keeper that sovr up runs, from the key in SOVR_PRIVATE_KEY or SOVR_KEYSTORE (it pays the gas): a payee
can keep its own standing orders charged without anyone else's host. Every pass charges the due periods of every
order (each period at most once, whoever charges it) and releases pending transfers whose time has passed.
  --once              one pass, then exit
  --interval <s>      seconds between passes (default ${KEEPER_INTERVAL_S})
  --batch <n>         charges per transaction (default ${DEFAULT_CHARGE_BATCH}, at most ${ORDER_LIMITS.MAX_CHARGES_PER_CALL})
Stop it with Ctrl-C; it keeps nothing, so it may be stopped and started (or killed) at any time.`,
  options: { once: { type: "boolean" }, interval: { type: "string" }, batch: { type: "string" } },
  async run({ positionals, values, env }) {
    noMoreArguments("keeper", positionals, 0);
    const intervalSeconds = values.interval === undefined ? KEEPER_INTERVAL_S : Number(text(values, "interval"));
    if (!Number.isFinite(intervalSeconds) || intervalSeconds <= 0)
      throw new UsageError(`--interval must be a number of seconds above 0, not "${text(values, "interval")}"`);
    const batch = values.batch === undefined ? DEFAULT_CHARGE_BATCH : Number(parseId(text(values, "batch"), "--batch", 32));
    if (batch > ORDER_LIMITS.MAX_CHARGES_PER_CALL) throw new UsageError(`--batch is at most ${ORDER_LIMITS.MAX_CHARGES_PER_CALL}`);
    const session = await openSigning(env);
    const log = (line: string) => process.stdout.write(`${line}\n`);
    const chain = await keeperChain(session, env, log);
    if (values.once) {
      const result = await keeperPass(chain, indexerOf(env), batch);
      return { data: passData(result), text: passText(result) };
    }
    log(`sovr: keeper running from ${session.signer.address} every ${intervalSeconds} s; Ctrl-C stops it`);
    const running = startKeeper({
      indexerUrl: indexerUrlFrom(env),
      client: chain.client,
      wallet: chain.wallet,
      ledger: chain.ledger,
      orders: chain.orders,
      intervalMs: intervalSeconds * 1000,
      chargeBatch: batch,
      ...chain.send,
      log,
    });
    await new Promise<void>((resolveStop) => {
      process.once("SIGINT", () => resolveStop());
      process.once("SIGTERM", () => resolveStop());
    });
    await running.stop();
    return { data: { stopped: true }, text: "sovr: keeper stopped" };
  },
};
