/**
 * The assistant's tools: read-only queries on the indexer (GraphQL with variables, through
 * `@sovr/indexer/client`), each with bounded rows and date ranges, and three draft tools that only
 * return data for the owner to review. Nothing here holds a key or sends a transaction. Every row a
 * tool returns is kept, so an answer's figures come with the rows they came from. Text read from the
 * chain (memos, signal messages, verdict summaries, names, invoice references) is returned as data inside JSON.
 */
import {
  bytes32Text,
  type Draft,
  formatDollars,
  formatDueDate,
  formatInterval,
  invoiceStatuses,
  isOverdue,
  parseDraft,
  periodUnits,
  shortAccountId,
} from "@sovr/contracts";
import { fields, IndexerClient } from "@sovr/indexer/client";
import { type Address, getAddress, isAddress } from "viem";
import { z } from "zod";

/** Rows any one tool call returns at most. */
export const MAX_ROWS = 200;
/** The widest date range a query may span. */
export const MAX_RANGE_DAYS = 366;
const DAY = 86_400;

export type ToolResult = { rows: Record<string, unknown>[]; summary?: Record<string, unknown>; note?: string; draft?: Draft };

export type ToolContext = {
  indexer: IndexerClient;
  owner: Address | undefined;
  /** What the owner typed in this conversation: a draft's recipient that appears nowhere in it is flagged. */
  ownerText: string;
  /** Whether a tool result so far carried free text from the chain (memos, messages, summaries). */
  sawChainText: boolean;
};

type Tool = {
  description: string;
  parameters: Record<string, unknown>;
  args: z.ZodType;
  run(args: never, context: ToolContext): Promise<ToolResult>;
};

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD");
const limit = z.number().int().min(1).max(MAX_ROWS).default(50);

/** A date range in seconds, at most MAX_RANGE_DAYS, the last 30 days by default. */
function range(from: string | undefined, to: string | undefined): { from: number; to: number } {
  const end = to ? Date.parse(`${to}T00:00:00Z`) / 1000 + DAY : Math.floor(Date.now() / 1000) + 60;
  const start = from ? Date.parse(`${from}T00:00:00Z`) / 1000 : end - 30 * DAY;
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new ToolError("from/to must be dates as YYYY-MM-DD");
  if (end <= start) throw new ToolError("to must be after from");
  if (end - start > MAX_RANGE_DAYS * DAY) throw new ToolError(`a range spans at most ${MAX_RANGE_DAYS} days`);
  return { from: start, to: end };
}

export class ToolError extends Error {}

const accountRow = z.object({
  id: fields.bigint,
  owner: fields.hex,
  debitsPosted: fields.bigint,
  creditsPosted: fields.bigint,
  debitsPending: fields.bigint,
  creditsPending: fields.bigint,
  transferCount: z.number(),
});
const transferRow = z.object({
  id: fields.bigint,
  debitAccountId: fields.bigint,
  creditAccountId: fields.bigint,
  amount: fields.bigint,
  userData: fields.hex,
  kind: z.string(),
  timestamp: fields.bigint,
  txHash: fields.hex,
});

/** An invoice's statuses, and Overdue: open or partly paid past its due date. */
const INVOICE_FILTERS = [...invoiceStatuses, "Overdue"] as const;
/** A standing order's statuses as the indexer derives them. */
const ORDER_STATUSES = ["Active", "Cancelled", "Completed"] as const;

const invoiceRow = z.object({
  id: fields.bigint,
  payer: fields.hex.nullable(),
  payee: fields.hex,
  amount: fields.bigint,
  paid: fields.bigint,
  dueAt: fields.bigint,
  status: z.string(),
  reference: z.string(),
  createdAt: fields.bigint,
});
const orderRow = z.object({
  id: fields.bigint,
  payer: fields.hex,
  payee: fields.hex,
  amount: fields.bigint,
  maxAmount: fields.bigint,
  every: z.number(),
  unit: z.enum(periodUnits),
  status: z.string(),
  nextChargeAt: fields.bigint.nullable(),
  chargedCount: z.number(),
  chargedTotal: fields.bigint,
  missedCount: z.number(),
  failedAttempts: z.number(),
  planId: z.number(),
});

/** An address with its name in the owner's directory, if any. */
const party = (address: string, names: Map<string, string>) => ({ address, name: names.get(address.toLowerCase()) ?? null });

async function labels(indexer: IndexerClient): Promise<Map<string, string>> {
  const data = await indexer.graphql(
    `query { labels(limit: 1000) { items { subject label } } }`,
    {},
    z.object({ labels: z.object({ items: z.array(z.object({ subject: z.string(), label: z.string() })) }) }),
  );
  return new Map(data.labels.items.map((row) => [row.subject.toLowerCase(), row.label]));
}

async function accountsOf(indexer: IndexerClient, owner: Address) {
  const data = await indexer.graphql(
    `query ($owner: String, $limit: Int) {
      accounts(where: { owner: $owner }, limit: $limit) { items { id owner debitsPosted creditsPosted debitsPending creditsPending transferCount } }
    }`,
    { owner: owner.toLowerCase(), limit: 100 },
    z.object({ accounts: z.object({ items: z.array(accountRow) }) }),
  );
  return data.accounts.items.filter((row) => row.owner.toLowerCase() === owner.toLowerCase());
}

async function accountOwners(indexer: IndexerClient, ids: bigint[]): Promise<Map<bigint, string>> {
  if (ids.length === 0) return new Map();
  const data = await indexer.graphql(
    `query ($ids: [BigInt], $limit: Int) { accounts(where: { id_in: $ids }, limit: $limit) { items { id owner } } }`,
    { ids: [...new Set(ids)].map(String), limit: 1000 },
    z.object({ accounts: z.object({ items: z.array(z.object({ id: fields.bigint, owner: z.string() })) }) }),
  );
  return new Map(data.accounts.items.map((row) => [row.id, row.owner.toLowerCase()]));
}

/** An address as the owner names it: the address itself, or a name from the directory (exact, else a unique part). */
async function addressNamed(context: ToolContext, who: string, otherwise: string): Promise<Address> {
  if (isAddress(who)) return getAddress(who);
  const names = await labels(context.indexer);
  const matches = [...names].filter(([, label]) => label.toLowerCase() === who.toLowerCase());
  const partial = matches.length ? matches : [...names].filter(([, label]) => label.toLowerCase().includes(who.toLowerCase()));
  if (partial.length === 0) throw new ToolError(`no address is named "${who}" in the directory; ${otherwise}`);
  if (partial.length > 1) throw new ToolError(`"${who}" matches ${partial.map(([, label]) => label).join(", ")}; be more precise`);
  return getAddress(partial[0]![0]);
}

/** A counterparty as the owner names it: an account id, an address, or a name from the directory. */
async function counterpartyAccounts(context: ToolContext, who: string): Promise<{ ids: bigint[]; resolved: string }> {
  if (/^\d{1,39}$/.test(who)) return { ids: [BigInt(who)], resolved: `account ${who}` };
  const address = await addressNamed(context, who, "give an address or an account id");
  const accounts = await accountsOf(context.indexer, address);
  return { ids: accounts.map((account) => account.id), resolved: address };
}

/**
 * Who invoices and orders are between: the owner on either side (every party when the owner is unknown), and the
 * counterparty, when named, on either side. Payers and payees are addresses, so an account id is refused.
 */
async function partiesFilter(context: ToolContext, counterparty: string | undefined) {
  const eitherSide = (address: Address) => ({ OR: [{ payer: address.toLowerCase() }, { payee: address.toLowerCase() }] });
  if (counterparty !== undefined && /^\d+$/.test(counterparty))
    throw new ToolError("counterparty: invoices and orders are between addresses; give an address or a name from the directory");
  const other = counterparty === undefined ? undefined : await addressNamed(context, counterparty, "give an address");
  return {
    counterparty: other,
    filters: [...(context.owner ? [eitherSide(context.owner)] : []), ...(other ? [eitherSide(other)] : [])],
  };
}

/** Seconds since 1970 as an ISO date and time (UTC, to the second). */
const isoTime = (seconds: bigint | number) => new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace("T", " ");

function memoText(userData: `0x${string}`): string | undefined {
  if (/^0x0{64}$/.test(userData)) return undefined;
  const text = bytes32Text(userData);
  return text || undefined;
}

/** Ensures a draft's recipient was named by the owner (or is in the owner's directory), else flags it. */
async function cautionFor(context: ToolContext, to: string): Promise<string | undefined> {
  const reasons: string[] = [];
  const named = context.ownerText.toLowerCase().includes(to.toLowerCase());
  if (!named) {
    const inDirectory = isAddress(to) && (await labels(context.indexer)).has(to.toLowerCase());
    if (!inDirectory) reasons.push("the recipient is neither in your question nor in your directory");
  }
  if (context.sawChainText) reasons.push("drafted after reading text from the chain (memos, messages): check every field");
  return reasons.length ? reasons.join("; ") : undefined;
}

function draftResult(parsed: ReturnType<typeof parseDraft>): ToolResult {
  if (!parsed.ok) throw new ToolError(parsed.error);
  return {
    rows: [],
    draft: parsed.value,
    note: "a draft only: the owner reviews it in the command center's form and signs it in the wallet; nothing was sent",
  };
}

export const TOOLS: Record<string, Tool> = {
  list_accounts: {
    description: "The owner's ledger accounts (or another address's) with posted balance and pending amounts, in dollars.",
    parameters: {
      type: "object",
      properties: { owner: { type: "string", description: "an address; the owner's own accounts when absent" } },
    },
    args: z.object({ owner: z.string().optional() }).strict(),
    async run(args: { owner?: string }, context) {
      const owner = args.owner && isAddress(args.owner) ? getAddress(args.owner) : context.owner;
      if (!owner) throw new ToolError("name an address: this assistant does not know the owner's");
      const [rows, names] = await Promise.all([accountsOf(context.indexer, owner), labels(context.indexer)]);
      return {
        rows: rows.map((row) => ({
          account: row.id.toString(),
          owner: row.owner,
          ownerName: names.get(row.owner.toLowerCase()) ?? null,
          balance: formatDollars(row.creditsPosted - row.debitsPosted),
          pendingOut: formatDollars(row.debitsPending),
          pendingIn: formatDollars(row.creditsPending),
          transfers: row.transferCount,
        })),
      };
    },
  },

  list_transfers: {
    description:
      "Transfers of the owner's accounts (or one account), optionally with one counterparty (an address, an account id, or a name from the owner's directory) and a date range (at most 366 days; the last 30 days by default). Gives totals paid and received.",
    parameters: {
      type: "object",
      properties: {
        account: { type: "string", description: "an account id; all of the owner's accounts when absent" },
        counterparty: { type: "string" },
        from: { type: "string", description: "YYYY-MM-DD, inclusive" },
        to: { type: "string", description: "YYYY-MM-DD, inclusive" },
        limit: { type: "integer", minimum: 1, maximum: MAX_ROWS },
      },
    },
    args: z
      .object({
        account: z
          .string()
          .regex(/^\d{1,39}$/)
          .optional(),
        counterparty: z.string().min(1).max(80).optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        limit,
      })
      .strict(),
    async run(args: { account?: string; counterparty?: string; from?: string; to?: string; limit: number }, context) {
      const span = range(args.from, args.to);
      const mine = args.account
        ? [BigInt(args.account)]
        : context.owner
          ? (await accountsOf(context.indexer, context.owner)).map((a) => a.id)
          : [];
      if (mine.length === 0) throw new ToolError("no account to look at: name one, or the owner has none yet");
      const other = args.counterparty ? await counterpartyAccounts(context, args.counterparty) : undefined;
      if (other && other.ids.length === 0) return { rows: [], summary: { counterparty: other.resolved, note: "has no account" } };
      const sides = other
        ? [
            { debitAccountId_in: mine.map(String), creditAccountId_in: other.ids.map(String) },
            { creditAccountId_in: mine.map(String), debitAccountId_in: other.ids.map(String) },
          ]
        : [{ debitAccountId_in: mine.map(String) }, { creditAccountId_in: mine.map(String) }];
      // One query per side (Ponder's filters: each side's conditions hold together), merged newest first.
      const found = (
        await Promise.all(
          sides.map(async (side) => {
            const data = await context.indexer.graphql(
              `query ($where: transferFilter, $limit: Int) {
                transfers(where: $where, orderBy: "timestamp", orderDirection: "desc", limit: $limit) {
                  items { id debitAccountId creditAccountId amount userData kind timestamp txHash }
                }
              }`,
              { where: { ...side, timestamp_gte: String(span.from), timestamp_lt: String(span.to) }, limit: args.limit + 1 },
              z.object({ transfers: z.object({ items: z.array(transferRow) }) }),
            );
            return data.transfers.items;
          }),
        )
      )
        .flat()
        .filter((row, index, all) => all.findIndex((other) => other.id === row.id) === index)
        .sort((a, b) => (a.timestamp === b.timestamp ? (a.id < b.id ? 1 : -1) : a.timestamp < b.timestamp ? 1 : -1));
      const data = { transfers: { items: found } };
      const truncated = data.transfers.items.length > args.limit;
      const items = data.transfers.items.slice(0, args.limit);
      const owners = await accountOwners(
        context.indexer,
        items.flatMap((t) => [t.debitAccountId, t.creditAccountId]),
      );
      const names = await labels(context.indexer);
      const who = (id: bigint) => {
        const address = owners.get(id);
        return {
          account: id.toString(),
          name: (address && names.get(address)) ?? (address ? `${address.slice(0, 10)}…` : shortAccountId(id)),
        };
      };
      let paid = 0n;
      let received = 0n;
      const rows = items.map((t) => {
        const out = mine.includes(t.debitAccountId);
        if (t.kind !== "void" && t.kind !== "pending") {
          if (out) paid += t.amount;
          else received += t.amount;
        }
        const memo = memoText(t.userData);
        if (memo) context.sawChainText = true;
        return {
          transfer: t.id.toString(),
          date: isoTime(t.timestamp),
          direction: out ? "paid" : "received",
          from: who(t.debitAccountId),
          to: who(t.creditAccountId),
          amount: formatDollars(t.amount),
          kind: t.kind,
          // Chain text, as data.
          memo: memo ?? null,
          tx: t.txHash,
        };
      });
      return {
        rows,
        summary: {
          from: new Date(span.from * 1000).toISOString().slice(0, 10),
          to: new Date((span.to - 1) * 1000).toISOString().slice(0, 10),
          counterparty: other?.resolved ?? null,
          paid: formatDollars(paid),
          received: formatDollars(received),
          count: rows.length,
          truncated,
        },
      };
    },
  },

  component_status: {
    description: "Every component's status now, uptime over 24 h, 7 d and 30 d, maintenance, and the stack's overall status.",
    parameters: { type: "object", properties: {} },
    args: z.object({}).strict(),
    async run(_args: never, context) {
      const status = await context.indexer.status();
      return {
        rows: status.components.map((c) => ({
          component: c.id,
          name: c.name,
          critical: c.critical,
          status: c.maintenance ? `MAINTENANCE (${c.status})` : c.status,
          uptime24h: c.uptime["24h"],
          uptime7d: c.uptime["7d"],
          uptime30d: c.uptime["30d"],
          retired: c.retired,
        })),
        summary: { overall: status.overall, ledgerPaused: status.ledgerPaused, indexerLagBlocks: status.indexer.lagBlocks },
      };
    },
  },

  component_incidents: {
    description:
      "Health transitions of components (to OFFLINE, DEGRADED and back) in a date range (at most 366 days; the last 30 by default).",
    parameters: {
      type: "object",
      properties: {
        component: { type: "integer" },
        from: { type: "string" },
        to: { type: "string" },
        limit: { type: "integer", maximum: MAX_ROWS },
      },
    },
    args: z.object({ component: z.number().int().positive().optional(), from: isoDate.optional(), to: isoDate.optional(), limit }).strict(),
    async run(args: { component?: number; from?: string; to?: string; limit: number }, context) {
      const span = range(args.from, args.to);
      const data = await context.indexer.graphql(
        `query ($where: healthChangeFilter, $limit: Int) {
          healthChanges(where: $where, orderBy: "timestamp", orderDirection: "desc", limit: $limit) {
            items { componentId previousStatus status latencyMs timestamp }
          }
        }`,
        {
          where: {
            timestamp_gte: String(span.from),
            timestamp_lt: String(span.to),
            ...(args.component ? { componentId: args.component } : {}),
          },
          limit: args.limit,
        },
        z.object({
          healthChanges: z.object({
            items: z.array(
              z.object({
                componentId: z.number(),
                previousStatus: z.string(),
                status: z.string(),
                latencyMs: z.number(),
                timestamp: fields.bigint,
              }),
            ),
          }),
        }),
      );
      return {
        rows: data.healthChanges.items.map((row) => ({
          component: row.componentId,
          change: `${row.previousStatus} -> ${row.status}`,
          at: isoTime(row.timestamp),
        })),
      };
    },
  },

  list_verdicts: {
    description: "The guardian's verdicts, newest first; only unacknowledged ones, or from a least level, on request.",
    parameters: {
      type: "object",
      properties: {
        unacknowledged: { type: "boolean" },
        minLevel: { type: "string", enum: ["LOW", "MEDIUM", "HIGH", "CRITICAL"] },
        limit: { type: "integer", maximum: MAX_ROWS },
      },
    },
    args: z
      .object({ unacknowledged: z.boolean().optional(), minLevel: z.enum(["LOW", "MEDIUM", "HIGH", "CRITICAL"]).optional(), limit })
      .strict(),
    async run(args: { unacknowledged?: boolean; minLevel?: string; limit: number }, context) {
      const levels = ["LOW", "MEDIUM", "HIGH", "CRITICAL"];
      const allowed = levels.slice(levels.indexOf(args.minLevel ?? "LOW"));
      const data = await context.indexer.graphql(
        `query ($where: verdictFilter, $limit: Int) {
          verdicts(where: $where, orderBy: "id", orderDirection: "desc", limit: $limit) {
            items { id level action threatType summary acknowledged timestamp }
          }
        }`,
        { where: { level_in: allowed, ...(args.unacknowledged ? { acknowledged: false } : {}) }, limit: args.limit },
        z.object({
          verdicts: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                level: z.string(),
                action: z.string(),
                threatType: fields.hex,
                summary: z.string(),
                acknowledged: z.boolean(),
                timestamp: fields.bigint,
              }),
            ),
          }),
        }),
      );
      if (data.verdicts.items.length > 0) context.sawChainText = true;
      return {
        rows: data.verdicts.items.map((row) => ({
          verdict: row.id,
          level: row.level,
          action: row.action,
          threat: bytes32Text(row.threatType),
          summary: row.summary,
          acknowledged: row.acknowledged,
          at: isoTime(row.timestamp),
        })),
      };
    },
  },

  list_invoices: {
    description:
      "Invoices the owner issued or was sent, newest first: payer, payee, amount, paid, due date, status (Open, PartiallyPaid, Paid, Cancelled) and whether overdue, in dollars. Optionally only one status (Overdue: open or partly paid past the due date) or one counterparty (an address or a name from the owner's directory). References are text from the chain.",
    parameters: {
      type: "object",
      properties: {
        status: { type: "string", enum: [...INVOICE_FILTERS] },
        counterparty: { type: "string", description: "an address or a name from the owner's directory" },
        limit: { type: "integer", minimum: 1, maximum: MAX_ROWS },
      },
    },
    args: z.object({ status: z.enum(INVOICE_FILTERS).optional(), counterparty: z.string().min(1).max(80).optional(), limit }).strict(),
    async run(args: { status?: (typeof INVOICE_FILTERS)[number]; counterparty?: string; limit: number }, context) {
      const now = Math.floor(Date.now() / 1000);
      const parties = await partiesFilter(context, args.counterparty);
      const byStatus =
        args.status === "Overdue"
          ? { status_in: ["Open", "PartiallyPaid"], dueAt_gt: "0", dueAt_lt: String(now) }
          : args.status
            ? { status: args.status }
            : {};
      const [data, names] = await Promise.all([
        context.indexer.graphql(
          `query ($where: invoiceFilter, $limit: Int) {
            invoices(where: $where, orderBy: "id", orderDirection: "desc", limit: $limit) {
              items { id payer payee amount paid dueAt status reference createdAt }
            }
          }`,
          { where: { AND: [byStatus, ...parties.filters] }, limit: args.limit + 1 },
          z.object({ invoices: z.object({ items: z.array(invoiceRow) }) }),
        ),
        labels(context.indexer),
      ]);
      const items = data.invoices.items.slice(0, args.limit);
      let outstanding = 0n;
      let overdueCount = 0;
      const rows = items.map((invoice) => {
        const overdue = isOverdue(invoice, now);
        if (invoice.status === "Open" || invoice.status === "PartiallyPaid") outstanding += invoice.amount - invoice.paid;
        if (overdue) overdueCount++;
        if (invoice.reference) context.sawChainText = true;
        return {
          invoice: invoice.id.toString(),
          payer: invoice.payer ? party(invoice.payer, names) : "anyone with the pay link",
          payee: party(invoice.payee, names),
          amount: formatDollars(invoice.amount),
          paid: formatDollars(invoice.paid),
          due: formatDueDate(invoice.dueAt) || null,
          status: invoice.status,
          overdue,
          // Chain text, as data.
          reference: invoice.reference || null,
          issued: isoTime(invoice.createdAt),
        };
      });
      return {
        rows,
        summary: {
          counterparty: parties.counterparty ?? null,
          count: rows.length,
          outstanding: formatDollars(outstanding),
          overdue: overdueCount,
          truncated: data.invoices.items.length > args.limit,
        },
      };
    },
  },

  list_orders: {
    description:
      "Standing orders and subscriptions the owner pays or is paid by: payer, payee, amount per period and the most a period may charge (dollars), interval, status (Active, Cancelled, Completed), next charge, charged periods and total, missed periods and failed attempts, and the plan of a subscription. Optionally one status or one counterparty (an address or a name from the owner's directory).",
    parameters: {
      type: "object",
      properties: {
        status: { type: "string", enum: [...ORDER_STATUSES] },
        counterparty: { type: "string", description: "an address or a name from the owner's directory" },
        limit: { type: "integer", minimum: 1, maximum: MAX_ROWS },
      },
    },
    args: z.object({ status: z.enum(ORDER_STATUSES).optional(), counterparty: z.string().min(1).max(80).optional(), limit }).strict(),
    async run(args: { status?: (typeof ORDER_STATUSES)[number]; counterparty?: string; limit: number }, context) {
      const parties = await partiesFilter(context, args.counterparty);
      const [data, names] = await Promise.all([
        context.indexer.graphql(
          `query ($where: standingOrderFilter, $limit: Int) {
            standingOrders(where: $where, orderBy: "id", orderDirection: "desc", limit: $limit) {
              items { id payer payee amount maxAmount every unit status nextChargeAt chargedCount chargedTotal missedCount failedAttempts planId }
            }
          }`,
          { where: { AND: [args.status ? { status: args.status } : {}, ...parties.filters] }, limit: args.limit + 1 },
          z.object({ standingOrders: z.object({ items: z.array(orderRow) }) }),
        ),
        labels(context.indexer),
      ]);
      const rows = data.standingOrders.items.slice(0, args.limit).map((order) => ({
        order: order.id.toString(),
        payer: party(order.payer, names),
        payee: party(order.payee, names),
        amount: formatDollars(order.amount),
        maxAmount: formatDollars(order.maxAmount),
        interval: formatInterval(order.every, order.unit),
        status: order.status,
        nextChargeAt: order.nextChargeAt === null ? null : isoTime(order.nextChargeAt),
        chargedCount: order.chargedCount,
        chargedTotal: formatDollars(order.chargedTotal),
        missedCount: order.missedCount,
        failedAttempts: order.failedAttempts,
        plan: order.planId === 0 ? null : order.planId,
      }));
      return {
        rows,
        summary: {
          counterparty: parties.counterparty ?? null,
          count: rows.length,
          truncated: data.standingOrders.items.length > args.limit,
        },
      };
    },
  },

  draft_transfer: {
    description:
      "Drafts a payment for the owner to review in the Send form and sign in the wallet. Never sends anything. `to` is an address or an account id; `amount` in dollars (e.g. 12.50).",
    parameters: {
      type: "object",
      properties: { to: { type: "string" }, amount: { type: "string" }, memo: { type: "string" }, fromAccount: { type: "string" } },
      required: ["to", "amount"],
    },
    args: z.object({ to: z.string(), amount: z.string(), memo: z.string().optional(), fromAccount: z.string().optional() }).strict(),
    async run(args: { to: string; amount: string; memo?: string; fromAccount?: string }, context) {
      return draftResult(parseDraft({ kind: "transfer", ...args, caution: await cautionFor(context, args.to) }));
    },
  },

  draft_invoice: {
    description: "Drafts an invoice for the owner to review in the invoice form and sign. Never sends anything.",
    parameters: {
      type: "object",
      properties: { to: { type: "string" }, amount: { type: "string" }, reference: { type: "string" }, due: { type: "string" } },
      required: ["to", "amount", "reference"],
    },
    args: z.object({ to: z.string(), amount: z.string(), reference: z.string(), due: isoDate.optional() }).strict(),
    async run(args: { to: string; amount: string; reference: string; due?: string }, context) {
      return draftResult(parseDraft({ kind: "invoice", ...args, caution: await cautionFor(context, args.to) }));
    },
  },

  draft_control: {
    description:
      "Drafts a START, RESTART or STOP of components for the owner to confirm on the Command page and sign. Never sends anything.",
    parameters: {
      type: "object",
      properties: {
        action: { type: "string", enum: ["START", "RESTART", "STOP"] },
        componentIds: { type: "array", items: { type: "integer" } },
      },
      required: ["action", "componentIds"],
    },
    args: z
      .object({ action: z.enum(["START", "RESTART", "STOP"]), componentIds: z.array(z.number().int().positive()).min(1).max(50) })
      .strict(),
    async run(args: { action: string; componentIds: number[] }, context) {
      return draftResult(
        parseDraft({
          kind: "control",
          ...args,
          caution: context.sawChainText ? "drafted after reading text from the chain: check the components and the action" : undefined,
        }),
      );
    },
  },
};

/** Runs one tool by name with the model's arguments; anything else is refused. */
export async function runTool(name: string, rawArgs: unknown, context: ToolContext): Promise<ToolResult> {
  const tool = Object.hasOwn(TOOLS, name) ? TOOLS[name] : undefined;
  if (!tool)
    throw new ToolError(`there is no tool "${String(name).slice(0, 40)}"; the tools are read-only: ${Object.keys(TOOLS).join(", ")}`);
  const parsed = tool.args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ToolError(`${name}: ${issue.path.join(".") || "arguments"}: ${issue.message}`);
  }
  return tool.run(parsed.data as never, context);
}

export const functionDeclarations = () =>
  Object.entries(TOOLS).map(([name, tool]) => ({ name, description: tool.description, parametersJsonSchema: tool.parameters }));

export { IndexerClient };
