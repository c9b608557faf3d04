/** Ledger and credit verbs: accounts, transfer, pending post|void, issue, redeem, credit-line. */
import {
  AMOUNT_MAX,
  formatDollars,
  newTransferId,
  paymentTransfer,
  postPendingTransfer,
  sovrCodes,
  sovrCreditAbi,
  sovrLedgerAbi,
  voidPendingTransfer,
} from "@sovr/contracts";
import { fields } from "@sovr/indexer/client";
import { type Address, getAddress, parseEventLogs, type TransactionReceipt, zeroAddress } from "viem";
import { z } from "zod";
import {
  type AccountRef,
  memoUserData,
  parseAccountRef,
  parseAddress,
  parseDollars,
  parseExpiry,
  parseId,
  parseSeconds,
  UsageError,
} from "./args.ts";
import { openSigning, type SigningSession, send } from "./chain.ts";
import { indexerOf } from "./indexer.ts";
import { indexedNotes, isoTime, noMoreArguments, refuseFlags, subverb, table, text, type Verb } from "./verb.ts";

const indexedAccount = z.object({
  id: fields.bigint,
  owner: fields.hex,
  ledger: z.number(),
  code: z.number(),
  flags: z.number(),
  debitsPending: fields.bigint,
  debitsPosted: fields.bigint,
  creditsPending: fields.bigint,
  creditsPosted: fields.bigint,
});
const indexedCreditLine = z.object({
  accountId: fields.bigint,
  limit: fields.bigint,
  expiresAt: fields.bigint,
  frozen: z.boolean(),
  used: fields.bigint,
});

const ACCOUNT_CODES: Record<number, string> = { [sovrCodes.ACCOUNT_HOLDER]: "holder", [sovrCodes.ACCOUNT_ISSUER]: "issuer" };

export const accounts: Verb = {
  name: "accounts",
  summary: "the ledger's accounts with posted and pending debits and credits, balance and credit line",
  help: `usage: pnpm sovr accounts [--owner <address>] [--json]

Lists the indexed ledger accounts. balance = credits posted - debits posted (the issuer's is negative:
the SOVR outstanding); amounts in dollars (SOVR, 6 decimals).

  --owner <address>   only the accounts this address owns`,
  options: { owner: { type: "string" } },
  async run({ positionals, values, env }) {
    noMoreArguments("accounts", positionals, 0);
    const owner = values.owner === undefined ? undefined : parseAddress(text(values, "owner"), "--owner");
    const indexer = indexerOf(env);
    const [rows, lines] = await Promise.all([
      indexer.allPages(
        "accounts",
        `query($after: String) { accounts(limit: 1000, after: $after, orderBy: "id", orderDirection: "asc") {
          items { id owner ledger code flags debitsPending debitsPosted creditsPending creditsPosted }
          pageInfo { hasNextPage endCursor } } }`,
        {},
        indexedAccount,
      ),
      indexer.allPages(
        "creditLines",
        `query($after: String) { creditLines(limit: 1000, after: $after) {
          items { accountId limit expiresAt frozen used } pageInfo { hasNextPage endCursor } } }`,
        {},
        indexedCreditLine,
      ),
    ]);
    const creditLines = new Map(lines.map((line) => [line.accountId, line]));
    const list = rows
      .filter((row) => owner === undefined || getAddress(row.owner) === owner)
      .map((row) => {
        const line = creditLines.get(row.id);
        return {
          id: row.id.toString(),
          owner: getAddress(row.owner),
          ledger: row.ledger,
          code: row.code,
          kind: ACCOUNT_CODES[row.code] ?? `code ${row.code}`,
          frozen: (row.flags & sovrCodes.FROZEN) !== 0,
          closed: (row.flags & sovrCodes.CLOSED) !== 0,
          debitsPosted: formatDollars(row.debitsPosted),
          creditsPosted: formatDollars(row.creditsPosted),
          debitsPending: formatDollars(row.debitsPending),
          creditsPending: formatDollars(row.creditsPending),
          balance: formatDollars(row.creditsPosted - row.debitsPosted),
          creditLine:
            line && line.limit > 0n
              ? {
                  limit: formatDollars(line.limit),
                  used: formatDollars(line.used),
                  frozen: line.frozen,
                  expiresAt: Number(line.expiresAt) || null,
                }
              : null,
        };
      });
    if (list.length === 0) return { data: list, text: owner ? `no accounts owned by ${owner}` : "no accounts yet" };
    const rowsText = list.map((a) => [
      a.id,
      `${a.kind}${a.ledger === sovrCodes.LEDGER_USD ? "" : ` (ledger ${a.ledger})`}`,
      a.owner,
      a.debitsPosted,
      a.creditsPosted,
      a.debitsPending,
      a.creditsPending,
      a.balance,
      [
        a.creditLine ? `credit line ${a.creditLine.limit}${a.creditLine.frozen ? " frozen" : ""}` : "",
        a.frozen ? "FROZEN" : "",
        a.closed ? "closed" : "",
      ]
        .filter(Boolean)
        .join(", "),
    ]);
    return {
      data: list,
      text: table(["account", "kind", "owner", "debits", "credits", "pending dr", "pending cr", "balance", ""], rowsText),
    };
  },
};

/** The id of an account that exists: a missing one is the user's mistake (exit 2), caught before sending. */
async function existingAccount(session: SigningSession, ref: AccountRef, flag: string): Promise<bigint> {
  const id = ref.kind === "id" ? ref.id : await primaryAccountOf(session, ref.address);
  const owner = await session.client.readContract({
    address: session.deployment.ledger,
    abi: sovrLedgerAbi,
    functionName: "accountOwner",
    args: [id],
  });
  if (owner === zeroAddress) {
    throw new UsageError(ref.kind === "id" ? `${flag}: account ${id} does not exist` : `${flag}: ${ref.address} has no SOVR account yet`);
  }
  return id;
}

/**
 * The account to be paid into: an id that must exist, or an address's primary account, opened when it has none
 * (anyone may open it; a note says so).
 */
export async function payeeAccountOf(session: SigningSession, ref: AccountRef, flag: string, notes: string[]): Promise<bigint> {
  if (ref.kind === "id") return existingAccount(session, ref, flag);
  const id = await primaryAccountOf(session, ref.address);
  const owner = await session.client.readContract({
    address: session.deployment.ledger,
    abi: sovrLedgerAbi,
    functionName: "accountOwner",
    args: [id],
  });
  if (owner === zeroAddress) {
    await send(session, "opening the payee's account", {
      address: session.deployment.ledger,
      abi: sovrLedgerAbi,
      functionName: "openPrimaryAccount",
      args: [ref.address],
    });
    notes.push(`opened ${ref.address}'s primary account ${id}`);
  }
  return id;
}

function primaryAccountOf(session: SigningSession, address: Address): Promise<bigint> {
  return session.client.readContract({
    address: session.deployment.ledger,
    abi: sovrLedgerAbi,
    functionName: "primaryAccountId",
    args: [address],
  });
}

/** The transfer a receipt's `TransferCreated` event records (posts and voids carry the applied amount). */
function appliedTransfer(receipt: TransactionReceipt, id: bigint) {
  const event = parseEventLogs({ abi: sovrLedgerAbi, logs: receipt.logs, eventName: "TransferCreated" }).find((log) => log.args.id === id);
  if (!event) throw new Error(`transaction ${receipt.transactionHash} applied no transfer ${id}`);
  return event.args;
}

const idOption = { id: { type: "string" } } as const;
const ID_HELP = "  --id <n>            the transfer id (default: a new time-ordered id); sending the same id again changes nothing";

export const transfer: Verb = {
  name: "transfer",
  summary: "one transfer between two accounts, optionally pending (two-phase); prints its id",
  help: `usage: pnpm sovr transfer --from <account> --to <account|address> --amount <dollars>
                          [--code <n>] [--memo <text>] [--pending [--timeout <seconds>]] [--id <n>] [--json]

  --from <account>    the account to debit (an id, or an address for its primary account); the key must own it
  --to <account>      the account to credit; an address's primary account is opened if it has none
  --amount <dollars>  e.g. 12.34 (SOVR, 6 decimals on-chain; cents here)
  --code <n>          the transfer's purpose code (default ${sovrCodes.TRANSFER_PAYMENT}, payment)
  --memo <text>       up to 32 bytes kept as the transfer's user data
  --pending           reserve the amount only; post or void it later with pnpm sovr pending
  --timeout <s>       seconds until an unresolved pending transfer expires (default: never)
${ID_HELP}`,
  options: {
    from: { type: "string" },
    to: { type: "string" },
    amount: { type: "string" },
    code: { type: "string" },
    memo: { type: "string" },
    pending: { type: "boolean" },
    timeout: { type: "string" },
    ...idOption,
  },
  async run({ positionals, values, env }) {
    noMoreArguments("transfer", positionals, 0);
    const from = parseAccountRef(text(values, "from"), "--from");
    const to = parseAccountRef(text(values, "to"), "--to");
    const amount = parseDollars(text(values, "amount"), "--amount");
    const code = values.code === undefined ? sovrCodes.TRANSFER_PAYMENT : Number(parseId(text(values, "code"), "--code", 32));
    if (code > 0xffff) throw new UsageError(`--code must be 1 to 65535, not ${code}`);
    const userData = memoUserData(text(values, "memo"));
    const pending = values.pending === true;
    if (values.timeout !== undefined && !pending) throw new UsageError("--timeout applies only to a --pending transfer");
    const timeout = values.timeout === undefined ? 0 : parseSeconds(text(values, "timeout")!, "--timeout");
    const id = values.id === undefined ? newTransferId() : parseId(text(values, "id"), "--id", 128);

    const session = await openSigning(env);
    const debitAccountId = await existingAccount(session, from, "--from");
    const { ledger } = await session.client.readContract({
      address: session.deployment.ledger,
      abi: sovrLedgerAbi,
      functionName: "getAccount",
      args: [debitAccountId],
    });
    const notes: string[] = [];
    const creditAccountId = await payeeAccountOf(session, to, "--to", notes);
    const { receipt } = await send(session, "transfer", {
      address: session.deployment.ledger,
      abi: sovrLedgerAbi,
      functionName: "createTransfer",
      args: [
        paymentTransfer({
          id,
          debitAccountId,
          creditAccountId,
          amount,
          userData,
          ledger,
          code,
          ...(pending ? { pending: { timeout } } : {}),
        }),
      ],
    });
    notes.push(...(await indexedNotes(env, receipt)));
    const data = {
      transferId: id.toString(),
      debitAccountId: debitAccountId.toString(),
      creditAccountId: creditAccountId.toString(),
      amount: formatDollars(amount),
      code,
      pending,
      timeout,
      txHash: receipt.transactionHash,
      blockNumber: Number(receipt.blockNumber),
    };
    const hold = pending ? `, pending${timeout ? ` (expires in ${timeout} s unless posted or voided)` : " (never expires)"}` : "";
    return { data, notes, text: `transfer ${id}: ${data.amount} from account ${debitAccountId} to account ${creditAccountId}${hold}` };
  },
};

export const pendingTransfers: Verb = {
  name: "pending",
  summary: "post (in full or in part) or void a pending transfer",
  help: `usage: pnpm sovr pending post <transfer id> [--amount <dollars>] [--id <n>] [--json]
       pnpm sovr pending void <transfer id> [--id <n>] [--json]

  post                post the reservation: the whole amount, or --amount of it (the rest is released)
  void                release the whole reservation
${ID_HELP.replace("the transfer id", "the post's or void's own transfer id")}`,
  options: { amount: { type: "string" }, ...idOption },
  async run({ positionals, values, env }) {
    const action = subverb("pending", positionals, ["post", "void"] as const);
    const pendingId = parseId(positionals[1], "pending transfer id", 128);
    noMoreArguments(`pending ${action}`, positionals, 2);
    if (action === "void") refuseFlags("pending void (it always releases the whole amount)", values, ["amount"]);
    const amount = values.amount === undefined ? AMOUNT_MAX : parseDollars(text(values, "amount"), "--amount");
    const id = values.id === undefined ? newTransferId() : parseId(text(values, "id"), "--id", 128);

    const session = await openSigning(env);
    let stored;
    try {
      stored = await session.client.readContract({
        address: session.deployment.ledger,
        abi: sovrLedgerAbi,
        functionName: "getTransfer",
        args: [pendingId],
      });
    } catch {
      throw new UsageError(`there is no transfer ${pendingId}`);
    }
    if ((stored.flags & sovrCodes.PENDING) === 0) throw new UsageError(`transfer ${pendingId} is not a pending transfer`);
    const { receipt } = await send(session, `pending ${action}`, {
      address: session.deployment.ledger,
      abi: sovrLedgerAbi,
      functionName: "createTransfer",
      args: [action === "post" ? postPendingTransfer(pendingId, amount, id) : voidPendingTransfer(pendingId, id)],
    });
    const applied = appliedTransfer(receipt, id);
    const notes = await indexedNotes(env, receipt);
    const data = {
      transferId: id.toString(),
      pendingId: pendingId.toString(),
      action,
      amount: formatDollars(applied.amount),
      txHash: receipt.transactionHash,
      blockNumber: Number(receipt.blockNumber),
    };
    const verb = action === "post" ? "posted" : "voided";
    return { data, notes, text: `transfer ${id}: ${verb} ${data.amount} of pending transfer ${pendingId}` };
  },
};

export const issue: Verb = {
  name: "issue",
  summary: "issue SOVR from the issuer account into an account (owner's issuer key)",
  help: `usage: pnpm sovr issue --to <account|address> --amount <dollars> [--memo <text>] [--id <n>] [--json]

  --to <account>      an account id, or an address (its primary account is opened if needed)
  --amount <dollars>  e.g. 100.00; the issuance ceiling bounds the total outstanding
  --memo <text>       up to 32 bytes kept as the transfer's user data
${ID_HELP}`,
  options: { to: { type: "string" }, amount: { type: "string" }, memo: { type: "string" }, ...idOption },
  async run({ positionals, values, env }) {
    noMoreArguments("issue", positionals, 0);
    const to = parseAccountRef(text(values, "to"), "--to");
    const amount = parseDollars(text(values, "amount"), "--amount");
    const userData = memoUserData(text(values, "memo"));
    const id = values.id === undefined ? newTransferId() : parseId(text(values, "id"), "--id", 128);

    const session = await openSigning(env);
    const credit = { address: session.deployment.credit, abi: sovrCreditAbi } as const;
    const { receipt } =
      to.kind === "address"
        ? await send(session, "issue", { ...credit, functionName: "issueTo", args: [id, to.address, amount, userData] })
        : await send(session, "issue", {
            ...credit,
            functionName: "issue",
            args: [id, await existingAccount(session, to, "--to"), amount, userData],
          });
    const issued = parseEventLogs({ abi: sovrCreditAbi, logs: receipt.logs, eventName: "Issued" })[0]?.args;
    if (!issued) throw new Error(`transaction ${receipt.transactionHash} issued nothing`);
    const notes = await indexedNotes(env, receipt);
    const data = {
      transferId: id.toString(),
      accountId: issued.accountId.toString(),
      amount: formatDollars(issued.amount),
      outstanding: formatDollars(issued.outstanding),
      txHash: receipt.transactionHash,
      blockNumber: Number(receipt.blockNumber),
    };
    return { data, notes, text: `transfer ${id}: issued ${data.amount} to account ${data.accountId}; ${data.outstanding} outstanding` };
  },
};

export const redeem: Verb = {
  name: "redeem",
  summary: "redeem SOVR from one of the key's accounts back to the issuer",
  help: `usage: pnpm sovr redeem --from <account|address> --amount <dollars> [--memo <text>] [--id <n>] [--json]

The key must own the account. The first redeem approves SovrCredit as the key's ledger operator
(one more transaction): the debit is the key's own, and SovrCredit can only redeem what its owner asks.

  --from <account>    an account id, or an address for its primary account
  --amount <dollars>  e.g. 10.00
  --memo <text>       up to 32 bytes kept as the transfer's user data
${ID_HELP}`,
  options: { from: { type: "string" }, amount: { type: "string" }, memo: { type: "string" }, ...idOption },
  async run({ positionals, values, env }) {
    noMoreArguments("redeem", positionals, 0);
    const from = parseAccountRef(text(values, "from"), "--from");
    const amount = parseDollars(text(values, "amount"), "--amount");
    const userData = memoUserData(text(values, "memo"));
    const id = values.id === undefined ? newTransferId() : parseId(text(values, "id"), "--id", 128);

    const session = await openSigning(env);
    const ledger = { address: session.deployment.ledger, abi: sovrLedgerAbi } as const;
    const accountId = await existingAccount(session, from, "--from");
    const owner = await session.client.readContract({ ...ledger, functionName: "accountOwner", args: [accountId] });
    if (owner !== session.signer.address)
      throw new Error(`redeem refused: account ${accountId} is owned by ${owner}, not by this key (${session.signer.address})`);
    const notes: string[] = [];
    if (!(await session.client.readContract({ ...ledger, functionName: "isOperator", args: [owner, session.deployment.credit] }))) {
      await send(session, "approving SovrCredit as operator", {
        ...ledger,
        functionName: "setOperator",
        args: [session.deployment.credit, true],
      });
      notes.push(`approved SovrCredit (${session.deployment.credit}) as operator of ${owner}'s accounts, which redeeming needs`);
    }
    const { receipt } = await send(session, "redeem", {
      address: session.deployment.credit,
      abi: sovrCreditAbi,
      functionName: "redeem",
      args: [id, accountId, amount, userData],
    });
    const redeemed = parseEventLogs({ abi: sovrCreditAbi, logs: receipt.logs, eventName: "Redeemed" })[0]?.args;
    if (!redeemed) throw new Error(`transaction ${receipt.transactionHash} redeemed nothing`);
    notes.push(...(await indexedNotes(env, receipt)));
    const data = {
      transferId: id.toString(),
      accountId: accountId.toString(),
      amount: formatDollars(redeemed.amount),
      outstanding: formatDollars(redeemed.outstanding),
      txHash: receipt.transactionHash,
      blockNumber: Number(receipt.blockNumber),
    };
    return { data, notes, text: `transfer ${id}: redeemed ${data.amount} from account ${accountId}; ${data.outstanding} outstanding` };
  },
};

export const creditLine: Verb = {
  name: "credit-line",
  summary: "grant, change or remove (set), freeze or unfreeze an account's credit line",
  help: `usage: pnpm sovr credit-line set <account> --limit <dollars> [--expires <date|never>] [--json]
       pnpm sovr credit-line freeze <account> [--json]
       pnpm sovr credit-line unfreeze <account> [--json]

  <account>           an account id, or an address for its primary account
  --limit <dollars>   how far the account's debits may exceed its credits; 0 removes the line.
                      Lowering it below what is used blocks further debits but claws nothing back.
  --expires <when>    never (default), a date (2026-12-31, midnight UTC) or a time (2026-12-31T18:00:00Z)`,
  options: { limit: { type: "string" }, expires: { type: "string" } },
  async run({ positionals, values, env }) {
    const action = subverb("credit-line", positionals, ["set", "freeze", "unfreeze"] as const);
    const ref = parseAccountRef(positionals[1], "account");
    noMoreArguments(`credit-line ${action}`, positionals, 2);
    if (action !== "set") refuseFlags(`credit-line ${action}`, values, ["limit", "expires"]);
    const limit = action === "set" ? parseDollars(text(values, "limit"), "--limit", { allowZero: true }) : 0n;
    const expiresAt = action === "set" ? parseExpiry(text(values, "expires")) : 0n;

    const session = await openSigning(env);
    const accountId = await existingAccount(session, ref, "account");
    const credit = { address: session.deployment.credit, abi: sovrCreditAbi } as const;
    const { receipt } =
      action === "set"
        ? await send(session, "credit-line set", { ...credit, functionName: "setCreditLine", args: [accountId, limit, expiresAt] })
        : await send(session, `credit-line ${action}`, {
            ...credit,
            functionName: "setCreditLineFrozen",
            args: [accountId, action === "freeze"],
          });
    const line = await session.client.readContract({
      address: session.deployment.ledger,
      abi: sovrLedgerAbi,
      functionName: "creditLineOf",
      args: [accountId],
    });
    const notes = await indexedNotes(env, receipt);
    const data = {
      accountId: accountId.toString(),
      limit: formatDollars(line.limit),
      expiresAt: line.expiresAt === 0n ? null : Number(line.expiresAt),
      frozen: line.frozen,
      txHash: receipt.transactionHash,
      blockNumber: Number(receipt.blockNumber),
    };
    const expiry = data.expiresAt === null ? "no expiry" : `expires ${isoTime(data.expiresAt)}`;
    const state = line.limit === 0n ? "no credit line" : `credit line ${data.limit}, ${expiry}${line.frozen ? ", frozen" : ""}`;
    return { data, notes, text: `account ${accountId}: ${state}` };
  },
};
