/**
 * `pnpm bench gas`: gas of the ledger's hot paths against an OpenZeppelin v5 ERC-20 transfer to an
 * existing holder, deployed and measured in the same run on Hardhat's in-process chain (EDR) with
 * the build every other command uses (optimizer, viaIR). Prints a table and writes `.bench/gas.json`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type BenchMetric, benchMetric, writeBench } from "@sovr/runtime/bench";
import hre, { network } from "hardhat";
import { type Abi, getContract, type Hex } from "viem";

const LEDGER_USD = 840;
const DEBITS_MUST_NOT_EXCEED_CREDITS = 2;
const CODE_HOLDER = 1;
const CODE_PAYMENT = 1;
const PENDING = 2;
const POST_PENDING_TRANSFER = 4;
const ACCOUNTS_IN_BATCH = 20;
const BATCH_SIZE = 100;

const { viem } = await network.create();
const publicClient = await viem.getPublicClient();
const [owner, other, supervisor, guardianKey, reporter] = await viem.getWalletClients();
if (!owner || !other || !supervisor || !guardianKey || !reporter) throw new Error("the in-process chain has too few accounts");

/** The transactions whose gas is broken down by opcode class at the end. */
const traced = new Map<string, Hex>();

async function gasOf(hash: Hex, traceAs?: string): Promise<number> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`benchmark transaction ${hash} reverted`);
  if (traceAs) traced.set(traceAs, hash);
  return Number(receipt.gasUsed);
}

/**
 * The baseline is no product contract: it lives with the tests (contracts/test/bench), which
 * `hardhat run` does not build, so it is compiled here on its own, with the same profile, into the test
 * artifacts (a cache hit once `pnpm test` or an earlier bench built it).
 */
async function deployBaseline(holder: Hex, supply: bigint) {
  const source = "contracts/test/bench/BaselineERC20.sol";
  const results = await hre.solidity.build([resolve(source)], {
    scope: "tests",
    quiet: true,
    buildProfile: hre.globalOptions.buildProfile ?? "default",
  });
  if (!hre.solidity.isSuccessfulBuildResult(results)) throw new Error(`could not compile ${source}`);
  const artifact = join(await hre.solidity.getArtifactsDirectory("tests"), source, "BaselineERC20.json");
  const { abi, bytecode } = JSON.parse(readFileSync(artifact, "utf8")) as { abi: Abi; bytecode: Hex };
  const hash = await owner!.deployContract({ abi, bytecode, args: [holder, supply] });
  const { contractAddress } = await publicClient.waitForTransactionReceipt({ hash });
  if (!contractAddress) throw new Error("the baseline token was not deployed");
  return getContract({ address: contractAddress, abi: abi as typeof baselineAbi, client: { public: publicClient, wallet: owner! } });
}
const baselineAbi = [
  {
    type: "function",
    name: "transfer",
    stateMutability: "nonpayable",
    inputs: [
      { name: "to", type: "address" },
      { name: "value", type: "uint256" },
    ],
    outputs: [{ name: "", type: "bool" }],
  },
] as const;

// ---- baseline: OpenZeppelin ERC-20 transfer to an existing holder (steady state: both balances non-zero)
const baselineToken = await deployBaseline(owner.account.address, 10n ** 30n);
await gasOf(await baselineToken.write.transfer([other.account.address, 1_000n]));
const erc20Transfer = await gasOf(await baselineToken.write.transfer([other.account.address, 1_000n]), "erc20.transfer");

// ---- the SOVR contracts, wired as Ignition wires them
const ledger = await viem.deployContract("SovrLedger", [owner.account.address, 0]);
const credit = await viem.deployContract("SovrCredit", [ledger.address, owner.account.address, 0, 2n ** 90n]);
await ledger.write.grantRole([await ledger.read.TREASURY_ROLE(), credit.address]);
await ledger.write.grantRole([await ledger.read.CREDIT_ROLE(), credit.address]);
await credit.write.openIssuerAccount([1n]);

let nextTransferId = 1_000n;
const accountIds = Array.from({ length: ACCOUNTS_IN_BATCH }, (_, i) => BigInt(100 + i));
for (const id of accountIds) {
  await ledger.write.createAccount([id, LEDGER_USD, CODE_HOLDER, DEBITS_MUST_NOT_EXCEED_CREDITS]);
  await credit.write.issue([nextTransferId++, id, 1_000_000_000n, `0x${"00".repeat(32)}` as Hex]);
}

const NO_MEMO = `0x${"00".repeat(32)}` as Hex;
const MEMO = `0x${"ab".repeat(32)}` as Hex;

// Like the ERC-20 baseline, the ratio metrics carry no memo; `*.withMemo` shows what a 32-byte memo adds.
function transfer(debit: bigint, creditAccount: bigint, amount: bigint, flags = 0, pendingId = 0n, userData = NO_MEMO) {
  return {
    id: nextTransferId++,
    debitAccountId: debit,
    creditAccountId: creditAccount,
    amount,
    pendingId,
    userData,
    timeout: flags & PENDING ? 3600 : 0,
    ledger: LEDGER_USD,
    code: CODE_PAYMENT,
    flags,
  };
}

const [a, b] = accountIds as [bigint, bigint];
const single = await gasOf(await ledger.write.createTransfer([transfer(a, b, 1_000n)]), "transfer.single");

// 100 transfers among the 20 accounts; pairs follow a fixed pattern so every run measures the same batch.
function batchAmongAccounts(userData: Hex) {
  return Array.from({ length: BATCH_SIZE }, (_, i) => {
    const from = accountIds[i % ACCOUNTS_IN_BATCH]!;
    const to = accountIds[(i * 7 + 3) % ACCOUNTS_IN_BATCH]!;
    return transfer(from, to === from ? accountIds[(i + 1) % ACCOUNTS_IN_BATCH]! : to, 10n + BigInt(i), 0, 0n, userData);
  });
}
const batchGas = await gasOf(await ledger.write.createTransfers([batchAmongAccounts(NO_MEMO)]));
const batchMemoGas = await gasOf(await ledger.write.createTransfers([batchAmongAccounts(MEMO)]));
const singleMemo = await gasOf(await ledger.write.createTransfer([transfer(a, b, 1_000n, 0, 0n, MEMO)]));

const pending = transfer(a, b, 5_000n, PENDING);
const pendingGas = await gasOf(await ledger.write.createTransfer([pending]), "transfer.pending");
const postGas = await gasOf(
  await ledger.write.createTransfer([transfer(a, b, 2n ** 128n - 1n, POST_PENDING_TRANSFER, pending.id)]),
  "transfer.post",
);

// ---- ERC-20 view: transfer between two primary accounts that both hold SOVR
const token = await viem.getContractAt("SovrToken", await ledger.read.token());
await credit.write.issueTo([nextTransferId++, owner.account.address, 1_000_000n, `0x${"00".repeat(32)}` as Hex]);
await credit.write.issueTo([nextTransferId++, other.account.address, 1_000_000n, `0x${"00".repeat(32)}` as Hex]);
await gasOf(await token.write.transfer([other.account.address, 10n]));
const tokenTransfer = await gasOf(await token.write.transfer([other.account.address, 10n]), "erc20view.transfer");

const issueGas = await gasOf(await credit.write.issue([nextTransferId++, a, 1_000n, `0x${"00".repeat(32)}` as Hex]));

// ---- invoices, as Ignition wires them: the owner bills `other`, who pays from its primary account
const invoices = await viem.deployContract("SovrInvoices", [ledger.address]);
await ledger.write.grantRole([await ledger.read.SETTLER_ROLE(), invoices.address]);
const NO_PAYER = "0x0000000000000000000000000000000000000000";
const LINE_ITEMS = [
  { description: "Design: landing page and three screens", quantity: 7_500n, unitPrice: 80_000_000n },
  { description: "Copywriting", quantity: 2_000n, unitPrice: 60_000_000n },
  { description: "Hosting, March", quantity: 1_000n, unitPrice: 15_000_000n },
];
const invoiceTotal = LINE_ITEMS.reduce((sum, item) => sum + (item.quantity * item.unitPrice) / 1_000n, 0n);
const asPayer = { account: other.account };
// The first invoice warms the counter (zero -> non-zero), as any deployment's first invoice does.
await gasOf(await invoices.write.createInvoice([a, 1_000_000n, other.account.address, 0, false, "warm-up", []]));
const createInvoiceGas = await gasOf(
  await invoices.write.createInvoice([a, invoiceTotal, other.account.address, 2_000_000_000, false, "INV-2026-014", LINE_ITEMS]),
  "invoice.create",
);
const createBareInvoiceGas = await gasOf(await invoices.write.createInvoice([a, 1_000_000n, NO_PAYER, 0, false, "", []]));
const invoiceId = (await invoices.read.invoiceCount()) - 1n;
// The payer already holds SOVR in its primary account (the ERC-20 section above), like the payee's account.
await credit.write.issueTo([nextTransferId++, other.account.address, invoiceTotal, `0x${"00".repeat(32)}` as Hex]);
const payInvoiceGas = await gasOf(await invoices.write.pay([invoiceId, invoiceTotal, 1n], asPayer), "invoice.pay");

// ---- standing orders and commitments, as Ignition wires them. The charges run like `transfer.batch100`: 100 in
// one transaction among 20 primary accounts (each of the 20 wallets pays 5 orders), so the ratio between the two
// is what the order machinery adds to a ledger transfer.
const orders = await viem.deployContract("SovrOrders", [ledger.address, invoices.address]);
const commitments = await viem.deployContract("SovrCommitments", [ledger.address]);
await ledger.write.grantRole([await ledger.read.SETTLER_ROLE(), orders.address]);
await ledger.write.grantRole([await ledger.read.SETTLER_ROLE(), commitments.address]);
const wallets = await viem.getWalletClients();
const payers = wallets.slice(0, ACCOUNTS_IN_BATCH);
if (payers.length < ACCOUNTS_IN_BATCH) throw new Error(`the in-process chain has fewer than ${ACCOUNTS_IN_BATCH} accounts`);
for (const payer of payers) {
  await ledger.write.openPrimaryAccount([payer.account.address]);
  await credit.write.issueTo([nextTransferId++, payer.account.address, 1_000_000_000n, NO_MEMO]);
}
const primaryOf = (address: Hex) => ledger.read.primaryAccountId([address]);
const MONTHS = 1;
const RETRY = { retries: 3, retryEvery: 86_400 };
const now = async () => (await publicClient.getBlock()).timestamp;
const firstDue = (await now()) + 3_600n;
const orderIds: bigint[] = [];
let createOrderGas = 0;
for (let i = 0; i < BATCH_SIZE; i++) {
  const payer = payers[i % ACCOUNTS_IN_BATCH]!;
  let payee = payers[(i * 7 + 3) % ACCOUNTS_IN_BATCH]!;
  if (payee === payer) payee = payers[(i + 1) % ACCOUNTS_IN_BATCH]!;
  const schedule = { startAt: Number(firstDue), every: 1, unit: MONTHS, periods: 12, endAt: 0 };
  const hash = await orders.write.createOrder(
    [await primaryOf(payee.account.address), 10_000_000n + BigInt(i), 20_000_000n, schedule, RETRY],
    {
      account: payer.account,
    },
  );
  const gas = await gasOf(hash, i === BATCH_SIZE - 1 ? "order.create" : undefined);
  if (i === BATCH_SIZE - 1) createOrderGas = gas;
  orderIds.push(await orders.read.orderCount());
}
const testClient = await viem.getTestClient();
await testClient.increaseTime({ seconds: 3_600 });
await testClient.mine({ blocks: 1 });
const chargeBatchGas = await gasOf(
  await orders.write.chargeDue([orderIds.map((orderId) => ({ orderId, period: 0 }))]),
  "order.charge.batch100",
);

// Subscriptions: 100 subscriptions to the owner's plans (each charge also issues a paid invoice), the first charge
// in the subscribing transaction, the second 100 at once a month later. One subscription per subscriber and plan:
// the 19 wallets other than the owner's subscribe to as many plans of the same price as it takes.
const subscribers = payers.slice(1);
await orders.write.publishPlan([a, 25_000_000n, 1, MONTHS, 0, "Pro monthly"]);
const planId = await orders.read.planCount();
const subscriptionIds: bigint[] = [];
let subscribeGas = 0;
for (let i = 0; i < BATCH_SIZE; i++) {
  const subscriber = subscribers[i % subscribers.length]!;
  const plan = planId + Math.floor(i / subscribers.length);
  if (i % subscribers.length === 0 && i > 0) await orders.write.publishPlan([a, 25_000_000n, 1, MONTHS, 0, "Pro monthly"]);
  const gas = await gasOf(await orders.write.subscribe([plan, 25_000_000n], { account: subscriber.account }));
  if (i === BATCH_SIZE - 1) subscribeGas = gas;
  subscriptionIds.push(await orders.read.orderCount());
}
await testClient.increaseTime({ seconds: 31 * 86_400 });
await testClient.mine({ blocks: 1 });
const subscriptionBatchGas = await gasOf(await orders.write.chargeDue([subscriptionIds.map((orderId) => ({ orderId, period: 1 }))]));

// A commitment of three milestones; the first approved.
const commitmentPayer = payers[1]!;
const deadline = Number((await now()) + 30n * 86_400n);
const milestones = [
  { amount: 30_000_000n, description: "Design approved" },
  { amount: 50_000_000n, description: "Build delivered" },
  { amount: 20_000_000n, description: "Launch" },
];
const createCommitmentGas = await gasOf(
  await commitments.write.createCommitment([a, reporter.account.address, deadline, milestones], { account: commitmentPayer.account }),
  "commitment.create3",
);
const approveMilestoneGas = await gasOf(
  await commitments.write.approveMilestone([await commitments.read.commitmentCount(), 0], { account: commitmentPayer.account }),
  "commitment.approve",
);

// ---- component registry and guardian attestations, as Ignition wires them
const COMPONENTS = 7;
const [ONLINE, DEGRADED] = [1, 2];
const [WARNING] = [1];
const START = 0;
const [MEDIUM, ALERT] = [1, 1];
const registry = await viem.deployContract("ComponentRegistry", [owner.account.address, 0]);
for (let i = 0; i < COMPONENTS; i++) {
  await gasOf(
    await registry.write.register([
      `component-${i}`,
      0,
      `http://127.0.0.1:${9000 + i}/health`,
      i === 0,
      supervisor.account.address,
      reporter.account.address,
    ]),
  );
}
const asSupervisor = { account: supervisor.account };
await gasOf(await registry.write.reportHealth([1, ONLINE, 12], asSupervisor));
const reportHealthGas = await gasOf(await registry.write.reportHealth([1, DEGRADED, 480], asSupervisor));
const signalGas = await gasOf(
  await registry.write.signal([1, WARNING, "auth_failure", "3 failed logins from 10.0.0.7 in 60 s"], { account: reporter.account }),
);
const controlAllGas = await gasOf(await registry.write.requestControlAll([START]));

const guardian = await viem.deployContract("GuardianAttestations", [ledger.address, owner.account.address, 0, guardianKey.account.address]);
const label = (text: string) => `0x${Buffer.from(text).toString("hex").padEnd(64, "0")}` as Hex;
await gasOf(
  await guardian.write.attest([label("warmup"), MEDIUM, ALERT, label("velocity"), 80, "warm-up verdict", label("rules/1")], {
    account: guardianKey.account,
  }),
);
const attestGas = await gasOf(
  await guardian.write.attest(
    [label("tx:0x01:3"), MEDIUM, ALERT, label("velocity"), 87, "12 transfers from account 100 within 60 s (limit 10)", label("rules/1")],
    { account: guardianKey.account },
  ),
);

// Three verdicts acknowledged at once, against one acknowledged alone.
const ackIds: bigint[] = [];
for (const subject of ["tx:0x02:1", "tx:0x02:2", "tx:0x02:3", "tx:0x02:4"]) {
  const hash = await guardian.write.attest(
    [label(subject), MEDIUM, ALERT, label("velocity"), 80, "a verdict to acknowledge", label("rules/2")],
    {
      account: guardianKey.account,
    },
  );
  await gasOf(hash);
  ackIds.push(await guardian.read.verdictCount());
}
const acknowledgeGas = await gasOf(await guardian.write.acknowledge([ackIds[0]!, "seen"]));
const acknowledgeManyGas = await gasOf(await guardian.write.acknowledgeMany([ackIds.slice(1), "seen"]));

// ---- the owner's address book: a first label and a changed one
const directory = await viem.deployContract("SovrDirectory", [owner.account.address, 0]);
const firstLabelGas = await gasOf(await directory.write.setLabel([other.account.address, "Acme Ltd"]));
const relabelGas = await gasOf(await directory.write.setLabel([other.account.address, "Acme Holdings"]));

// ---- the owner's maintenance calendar: a one-off window, a weekly cron window, a cancellation
const maintenance = await viem.deployContract("SovrMaintenance", [registry.address, owner.account.address, 0]);
const nowSeconds = Number((await publicClient.getBlock()).timestamp);
const maintenanceOnceGas = await gasOf(
  await maintenance.write.scheduleOnce([1, nowSeconds + 60, nowSeconds + 3660, "upgrade the database"]),
);
const maintenanceCronGas = await gasOf(
  await maintenance.write.scheduleCron([0, "TZ=Europe/Berlin 0 3 * * 0", 7200, nowSeconds, 0, "patch sunday"]),
);
const maintenanceCancelGas = await gasOf(await maintenance.write.cancel([1n]));

const rows: BenchMetric[] = [
  row("transfer.single", single, 1.8),
  row("transfer.batch100", Math.round(batchGas / BATCH_SIZE), 1.0),
  row("transfer.pendingPost", pendingGas + postGas, 3.5),
  row("transfer.single.withMemo", singleMemo),
  row("transfer.batch100.withMemo", Math.round(batchMemoGas / BATCH_SIZE)),
  row("transfer.pending", pendingGas),
  row("transfer.post", postGas),
  row("erc20view.transfer", tokenTransfer),
  row("credit.issue", issueGas),
  row("invoice.create", createInvoiceGas),
  row("invoice.create.bare", createBareInvoiceGas),
  row("invoice.pay", payInvoiceGas),
  benchMetric("invoice.pay/transfer.single", payInvoiceGas, "gas", single, {
    baselineOf: "SovrLedger transfer.single, same run",
    target: { op: "<=", value: 1.3, on: "ratio" },
  }),
  row("order.create", createOrderGas),
  row("order.charge.batch100", Math.round(chargeBatchGas / BATCH_SIZE)),
  benchMetric(
    "order.charge.batch100/transfer.batch100",
    Math.round(chargeBatchGas / BATCH_SIZE),
    "gas",
    Math.round(batchGas / BATCH_SIZE),
    {
      baselineOf: "SovrLedger transfer.batch100 per transfer, same run",
      target: { op: "<=", value: 1.2, on: "ratio" },
    },
  ),
  row("subscription.subscribe", subscribeGas),
  row("subscription.charge.batch100", Math.round(subscriptionBatchGas / BATCH_SIZE)),
  row("commitment.create3", createCommitmentGas),
  row("commitment.approve", approveMilestoneGas),
  row("registry.reportHealth", reportHealthGas),
  row("registry.signal", signalGas),
  row(`registry.controlAll`, controlAllGas),
  row("guardian.attest", attestGas),
  row("guardian.acknowledge", acknowledgeGas),
  row("guardian.acknowledgeMany3", acknowledgeManyGas),
  row("directory.setLabel", firstLabelGas),
  row("directory.relabel", relabelGas),
  row("maintenance.scheduleOnce", maintenanceOnceGas),
  row("maintenance.scheduleCron", maintenanceCronGas),
  row("maintenance.cancel", maintenanceCancelGas),
  row("erc20.transfer", erc20Transfer),
];

/** A gas figure against the ERC-20 baseline; `target` is the most its ratio may be. */
function row(metric: string, value: number, target?: number): BenchMetric {
  return benchMetric(metric, value, "gas", erc20Transfer, {
    baselineOf: "OpenZeppelin v5 ERC-20 transfer to an existing holder, same run",
    ...(target === undefined ? {} : { target: { op: "<=", value: target, on: "ratio" } }),
  });
}
// ---- where the gas goes: each traced transaction split into intrinsic gas and opcode classes, from the
// node's own opcode trace (debug_traceTransaction), so the figures below are measured, not estimated.
type Part = { part: string; count: number; gas: number };
type StructLog = { op: string; gas: number; gasCost: number; depth: number };
const SSTORE_KINDS: Record<number, string> = {
  22100: "SSTORE zero -> non-zero, cold slot (fresh record)",
  20000: "SSTORE zero -> non-zero, warm slot",
  5000: "SSTORE non-zero -> non-zero, cold slot",
  2900: "SSTORE non-zero -> non-zero, warm slot (read first)",
  2200: "SSTORE dirty slot, cold",
  100: "SSTORE dirty slot, warm",
};
function classify(log: StructLog, selfCost: number): string {
  if (log.op === "SLOAD") return log.gasCost >= 2100 ? "SLOAD cold (2,100)" : "SLOAD warm (100)";
  if (log.op === "SSTORE") return SSTORE_KINDS[log.gasCost] ?? `SSTORE (${log.gasCost})`;
  if (log.op.startsWith("LOG")) return "LOG (375 + 375/topic + 8/byte)";
  if (log.op === "KECCAK256" || log.op === "SHA3") return "KECCAK256 (mapping slots)";
  if (["EXTCODESIZE", "EXTCODEHASH", "BALANCE"].includes(log.op)) {
    return log.gasCost >= 2600 ? "account access, cold (2,600: EXTCODESIZE before a call)" : "account access, warm (100)";
  }
  if (["CALL", "STATICCALL", "DELEGATECALL"].includes(log.op)) {
    return selfCost >= 2600 ? "CALL to a cold account (2,600)" : "CALL to a warm account (100)";
  }
  return "other opcodes (stack, memory, jumps, calldata reads)";
}
async function breakdown(metric: string, hash: Hex) {
  const [tx, receipt, trace] = await Promise.all([
    publicClient.getTransaction({ hash }),
    publicClient.getTransactionReceipt({ hash }),
    publicClient.request({
      method: "debug_traceTransaction" as never,
      params: [hash, { disableStorage: true, disableMemory: true, disableStack: true }] as never,
    }) as Promise<{ structLogs: StructLog[] }>,
  ]);
  const bytes = Buffer.from(tx.input.slice(2), "hex");
  const zeros = bytes.filter((b) => b === 0).length;
  const nonZeros = bytes.length - zeros;
  const parts = new Map<string, Part>();
  const add = (part: string, gas: number) => {
    const entry = parts.get(part) ?? { part, count: 0, gas: 0 };
    entry.count += 1;
    entry.gas += gas;
    parts.set(part, entry);
  };
  add("transaction base", 21_000);
  add(`calldata (${zeros} zero bytes x 4, ${nonZeros} non-zero x 16)`, zeros * 4 + nonZeros * 16);
  const logs = trace.structLogs;
  for (let i = 0; i < logs.length; i++) {
    const log = logs[i]!;
    let cost = log.gasCost;
    if (["CALL", "STATICCALL", "DELEGATECALL"].includes(log.op) && logs[i + 1]?.depth === log.depth + 1) {
      // The call's own cost: what the caller lost, minus what the callee used (counted op by op).
      let j = i + 1;
      while (j < logs.length && logs[j]!.depth > log.depth) j++;
      const lastInCallee = logs[j - 1]!;
      const calleeUsed = logs[i + 1]!.gas - (lastInCallee.gas - lastInCallee.gasCost);
      cost = log.gas - (logs[j]?.gas ?? log.gas) - calleeUsed;
    }
    add(classify(log, cost), cost);
  }
  const counted = [...parts.values()].reduce((sum, p) => sum + p.gas, 0);
  const gasUsed = Number(receipt.gasUsed);
  if (counted !== gasUsed) add("refund (EIP-3529) and rounding", gasUsed - counted);
  return { metric, gasUsed, parts: [...parts.values()] };
}
const breakdowns = [];
for (const [metric, hash] of traced) breakdowns.push(await breakdown(metric, hash));
console.log("\nWhere the gas goes (from the opcode trace)\n");
for (const b of breakdowns) {
  console.log(`${b.metric}: ${b.gasUsed} gas`);
  for (const p of b.parts) console.log(`  ${p.part.padEnd(58)} ${String(p.count).padStart(4)}x ${String(p.gas).padStart(7)}`);
}

mkdirSync(".bench", { recursive: true });
writeFileSync(".bench/gas-breakdown.json", `${JSON.stringify(breakdowns, null, 2)}\n`);
console.log("\nwrote .bench/gas-breakdown.json");
// The targets are tracked, not enforced: the breakdown above shows where their floor is (contracts/README.md).
writeBench("gas", rows);
