/**
 * `pnpm sovr` against a real stack (`sovr up`: Anvil, the deployment, the indexer, the guardian), driven
 * as a child process the way a person or a script drives it, with its effects checked on the chain and
 * in the index.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  componentRegistryAbi,
  guardianAttestationsAbi,
  type SovrDeployment,
  sovrCreditAbi,
  sovrDirectoryAbi,
  sovrLedgerAbi,
} from "@sovr/contracts";
import { readDeployment } from "@sovr/contracts/deployment";
import { repoRoot } from "@sovr/runtime";
import { anvilBinary } from "@sovr/runtime/chain";
import { hardhatCli } from "@sovr/runtime/deploy";
import { freePort, removeDeployment } from "@sovr/runtime/testing";
import { encryptKeystoreJson } from "ethers";
import { type Address, createPublicClient, createWalletClient, type Hex, hexToString, http, type PublicClient, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliScript, sidePorts, spawnUp, stopAllUp } from "./stack.ts";

/** Anvil's account #0: the deployer, so the owner of every contract on the local chain. */
const OWNER_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/** Anvil's account #5: funded, holds no role. */
const OUTSIDER_KEY: Hex = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";
const OWNER = privateKeyToAccount(OWNER_KEY).address;
const PAYEE: Address = "0x000000000000000000000000000000000000bEEF";

const home = mkdtempSync(join(tmpdir(), "sovr-cli-"));
const deploymentId = `sovr-test-cli-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
let chainPort: number;
let indexerPort: number;
let client: PublicClient;
let deployment: SovrDeployment;
const others: ChildProcess[] = [];

beforeAll(async () => {
  chainPort = await freePort();
  indexerPort = await freePort();
  const up = spawnUp({
    SOVR_HOME: home,
    SOVR_CHAIN_PORT: String(chainPort),
    SOVR_INDEXER_PORT: String(indexerPort),
    ...(await sidePorts()),
    SOVR_DEPLOYMENT_ID: deploymentId,
  });
  await up.waitFor(/press Ctrl-C to stop\./i, 150_000);
  client = createPublicClient({ chain: foundry, transport: http(`http://127.0.0.1:${chainPort}`) });
  deployment = readDeployment(31337, deploymentId)!;
}, 180_000);

afterAll(async () => {
  for (const child of others) child.kill("SIGTERM");
  await stopAllUp();
  rmSync(home, { recursive: true, force: true });
  removeDeployment(deploymentId);
});

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs `pnpm sovr ...args` (the supervisor's CLI) against the test stack, signing with the owner's key unless told otherwise. */
/** `input`: what the user types (a keystore's password); without it stdin is closed. */
function sovr(args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("SOVR_")));
  const child = spawn(process.execPath, [cliScript, ...args], {
    env: {
      ...inherited,
      SOVR_RPC_URL: `http://127.0.0.1:${chainPort}`,
      SOVR_INDEXER_PORT: String(indexerPort),
      SOVR_DEPLOYMENT_ID: deploymentId,
      SOVR_PRIVATE_KEY: OWNER_KEY,
      SOVR_HOME: home,
      ...env,
    },
    stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (input !== undefined) child.stdin?.end(input);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolveRun) => child.once("close", (code) => resolveRun({ code, stdout, stderr })));
}

async function sovrJson<T>(args: string[], env?: Record<string, string>): Promise<T> {
  const run = await sovr([...args, "--json"], env);
  if (run.code !== 0) throw new Error(`pnpm sovr ${args.join(" ")} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

type ListedAccount = {
  id: string;
  owner: Address;
  balance: string;
  debitsPosted: string;
  creditsPosted: string;
  debitsPending: string;
  creditLine: { limit: string; frozen: boolean } | null;
};
const accountOf = async (owner: Address) => (await sovrJson<ListedAccount[]>(["accounts", "--owner", owner]))[0];

async function graphql<T>(query: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${indexerPort}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return ((await response.json()) as { data: T }).data;
}

const ledger = () => ({ address: deployment.ledger, abi: sovrLedgerAbi }) as const;

describe("pnpm sovr (writing and listing verbs)", () => {
  it("issues credit, and accounts shows it at once, as the chain has it", async () => {
    const issued = await sovrJson<{ transferId: string; accountId: string; amount: string; outstanding: string }>([
      "issue",
      "--to",
      OWNER,
      "--amount",
      "100.00",
      "--memo",
      "opening float",
    ]);
    expect(issued.amount).toBe("$100.00");
    expect(issued.outstanding).toBe("$100.00");
    const primary = await client.readContract({ ...ledger(), functionName: "primaryAccountId", args: [OWNER] });
    expect(issued.accountId).toBe(primary.toString());
    expect((await client.readContract({ ...ledger(), functionName: "getAccount", args: [primary] })).creditsPosted).toBe(100_000_000n);

    const listed = await accountOf(OWNER);
    expect(listed).toMatchObject({ id: primary.toString(), balance: "$100.00", creditsPosted: "$100.00", debitsPosted: "$0.00" });
    const text = await sovr(["accounts"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^account\s+kind\s+owner\s+debits\s+credits\s+pending dr\s+pending cr\s+balance/);
    expect(text.stdout).toMatch(
      new RegExp(`\\n1\\s+issuer\\s+${deployment.credit}\\s+\\$100\\.00\\s+\\$0\\.00\\s+\\$0\\.00\\s+\\$0\\.00\\s+-\\$100\\.00`),
    );
  });

  it("transfers to an address (opening its account), prints the id, and keeps the memo as user data", async () => {
    const run = await sovr(["transfer", "--from", OWNER, "--to", PAYEE, "--amount", "12.34", "--memo", "invoice 7"]);
    expect(run.code).toBe(0);
    const match = /^transfer (\d+): \$12\.34 from account (\d+) to account (\d+)\n$/.exec(run.stdout);
    expect(match).not.toBeNull();
    const id = BigInt(match![1]!);
    const payeeAccount = await client.readContract({ ...ledger(), functionName: "primaryAccountId", args: [PAYEE] });
    expect(match![3]).toBe(payeeAccount.toString());
    expect(run.stderr).toBe(`sovr: opened ${PAYEE}'s primary account ${payeeAccount}\n`);
    expect((await client.readContract({ ...ledger(), functionName: "getTransfer", args: [id] })).amount).toBe(12_340_000n);

    expect(await accountOf(PAYEE)).toMatchObject({ balance: "$12.34" });
    expect(await accountOf(OWNER)).toMatchObject({ balance: "$87.66" });
    const indexed = await graphql<{ transfer: { amount: string; userData: Hex; kind: string } }>(
      `{ transfer(id: "${id}") { amount userData kind } }`,
    );
    expect(indexed.transfer).toMatchObject({ amount: "12340000", kind: "single" });
    expect(hexToString(indexed.transfer.userData, { size: 32 }).replace(/\0+$/, "")).toBe("invoice 7");
  });

  it("holds with a pending transfer, posts part of it, voids another, and refuses a second post in plain words", async () => {
    const held = await sovrJson<{ transferId: string; pending: boolean; timeout: number }>([
      "transfer",
      "--from",
      OWNER,
      "--to",
      PAYEE,
      "--amount",
      "5.00",
      "--pending",
      "--timeout",
      "3600",
    ]);
    expect(held).toMatchObject({ pending: true, timeout: 3600 });
    expect(await accountOf(OWNER)).toMatchObject({ debitsPending: "$5.00", balance: "$87.66" });

    const post = await sovr(["pending", "post", held.transferId, "--amount", "2.00"]);
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(new RegExp(`^transfer \\d+: posted \\$2\\.00 of pending transfer ${held.transferId}\\n$`));
    expect((await client.readContract({ ...ledger(), functionName: "getTransfer", args: [BigInt(held.transferId)] })).status).toBe(2); // Posted
    expect(await accountOf(OWNER)).toMatchObject({ debitsPending: "$0.00", balance: "$85.66" });

    const again = await sovr(["pending", "post", held.transferId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("sovr: pending post refused: the pending transfer was already posted (PendingTransferAlreadyPosted)\n");

    const second = await sovrJson<{ transferId: string }>(["transfer", "--from", OWNER, "--to", PAYEE, "--amount", "1.00", "--pending"]);
    const voided = await sovrJson<{ action: string; amount: string }>(["pending", "void", second.transferId]);
    expect(voided).toEqual(expect.objectContaining({ action: "void", amount: "$1.00" }));
    expect((await client.readContract({ ...ledger(), functionName: "getTransfer", args: [BigInt(second.transferId)] })).status).toBe(3); // Voided
    const indexed = await graphql<{ pendingTransfer: { status: string; remaining: string } }>(
      `{ pendingTransfer(id: "${second.transferId}") { status remaining } }`,
    );
    expect(indexed.pendingTransfer).toEqual({ status: "voided", remaining: "0" });

    const notPending = await sovr(["pending", "void", "1"]);
    expect(notPending.code).toBe(2);
    expect(notPending.stderr).toMatch(/^sovr: (there is no transfer 1|transfer 1 is not a pending transfer)\n$/);
  });

  it("redeems, approving SovrCredit as operator the first time", async () => {
    const first = await sovr(["redeem", "--from", OWNER, "--amount", "1.00"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^transfer \d+: redeemed \$1\.00 from account \d+; \$99\.00 outstanding\n$/);
    expect(first.stderr).toContain(`approved SovrCredit (${deployment.credit}) as operator`);
    const second = await sovr(["redeem", "--from", OWNER, "--amount", "1.50"]);
    expect(second.stderr).toBe("");
    expect(second.stdout).toMatch(/\$97\.50 outstanding/);
    expect(await client.readContract({ address: deployment.credit, abi: sovrCreditAbi, functionName: "outstanding" })).toBe(97_500_000n);
  });

  it("sets, freezes and unfreezes a credit line", async () => {
    const set = await sovr(["credit-line", "set", PAYEE, "--limit", "50.00", "--expires", "2099-01-01"]);
    expect(set.code).toBe(0);
    const payeeAccount = await client.readContract({ ...ledger(), functionName: "primaryAccountId", args: [PAYEE] });
    expect(set.stdout).toBe(`account ${payeeAccount}: credit line $50.00, expires 2099-01-01T00:00:00Z\n`);
    const frozen = await sovr(["credit-line", "freeze", PAYEE]);
    expect(frozen.stdout).toBe(`account ${payeeAccount}: credit line $50.00, expires 2099-01-01T00:00:00Z, frozen\n`);
    expect(await client.readContract({ ...ledger(), functionName: "creditLineOf", args: [payeeAccount] })).toEqual({
      limit: 50_000_000n,
      expiresAt: 4070908800n,
      frozen: true,
    });
    expect((await accountOf(PAYEE))?.creditLine).toMatchObject({ limit: "$50.00", frozen: true });
    await sovr(["credit-line", "unfreeze", PAYEE]);
    expect((await client.readContract({ ...ledger(), functionName: "creditLineOf", args: [payeeAccount] })).frozen).toBe(false);
  });

  it("says why the contracts refuse, in one line, and exits 1", async () => {
    const broke = await sovr(["transfer", "--from", OWNER, "--to", PAYEE, "--amount", "900000.00"]);
    expect(broke).toMatchObject({ code: 1, stdout: "" });
    expect(broke.stderr).toBe(
      "sovr: transfer refused: the paying account does not have enough funds (its credits and credit line do not cover this amount) (ExceedsCredits)\n",
    );
    const ceiling = await sovr(["issue", "--to", OWNER, "--amount", "2000000.00"]);
    expect(ceiling.stderr).toBe(
      "sovr: issue refused: issuing $2,000,000.00 would pass the issuance ceiling of $1,000,000.00 ($97.50 is already outstanding) (IssuanceCeilingExceeded)\n",
    );
    const outsider = privateKeyToAccount(OUTSIDER_KEY).address;
    const noRole = await sovr(["issue", "--to", OWNER, "--amount", "1.00"], { SOVR_PRIVATE_KEY: OUTSIDER_KEY });
    expect(noRole).toMatchObject({ code: 1 });
    expect(noRole.stderr).toBe(
      `sovr: issue refused: the signer (${outsider.slice(0, 10)}…) lacks ISSUER_ROLE; only its holder may do this (AccessControlUnauthorizedAccount)\n`,
    );
    const notYours = await sovr(["transfer", "--from", PAYEE, "--to", OWNER, "--amount", "1.00"], { SOVR_PRIVATE_KEY: OUTSIDER_KEY });
    expect(notYours.stderr).toBe(
      "sovr: transfer refused: the signer is neither the paying account's owner nor an operator it approved (NotAuthorized)\n",
    );
  });

  it("adds, lists, controls, signals for and retires a component; the reporter signs from a keystore", async () => {
    // The component's own key, in a v3 keystore, funded by the owner for its gas.
    const reporterKey = generatePrivateKey();
    const reporter = privateKeyToAccount(reporterKey).address;
    const owner = createWalletClient({
      chain: foundry,
      transport: http(`http://127.0.0.1:${chainPort}`),
      account: privateKeyToAccount(OWNER_KEY),
    });
    await client.waitForTransactionReceipt({ hash: await owner.sendTransaction({ to: reporter, value: parseEther("1") }) });
    const keystore = join(home, "reporter.json");
    // A low scrypt cost keeps the test quick; the file format is the same.
    writeFileSync(
      keystore,
      await encryptKeystoreJson({ address: reporter, privateKey: reporterKey }, "correct horse", { scrypt: { N: 1024 } }),
      { mode: 0o600 },
    );

    const added = await sovrJson<{ componentId: number; controller: Address; reporter: Address }>([
      "components",
      "add",
      "--name",
      "cli api",
      "--kind",
      "core_backend",
      "--endpoint",
      "http://127.0.0.1:9/health",
      "--reporter",
      reporter,
    ]);
    const listed = await sovrJson<{ id: number; name: string; kind: string; status: string; controller: Address; reporter: Address }[]>([
      "components",
      "list",
    ]);
    const supervisor = listed.find((c) => c.name === "sovr supervisor")!;
    expect(listed.find((c) => c.id === added.componentId)).toMatchObject({
      name: "cli api",
      kind: "CORE_BACKEND",
      status: "UNKNOWN",
      controller: supervisor.controller,
      reporter,
    });
    expect(
      (
        await client.readContract({
          address: deployment.registry,
          abi: componentRegistryAbi,
          functionName: "getComponent",
          args: [added.componentId],
        })
      ).reporter,
    ).toBe(reporter);

    const control = await sovr(["control", "start", String(added.componentId)]);
    expect(control.code).toBe(0);
    const intentId = /^intent (\d+): START component (\d+)\n$/.exec(control.stdout);
    expect(intentId?.[2]).toBe(String(added.componentId));
    const intent = await client.readContract({
      address: deployment.registry,
      abi: componentRegistryAbi,
      functionName: "getIntent",
      args: [BigInt(intentId![1]!)],
    });
    expect(intent).toMatchObject({ componentId: added.componentId, action: 0 });
    const indexedIntent = await graphql<{ controlIntent: { componentId: number; action: string } }>(
      `{ controlIntent(id: "${intentId![1]}") { componentId action } }`,
    );
    expect(indexedIntent.controlIntent).toEqual({ componentId: added.componentId, action: "START" });

    const keystoreEnv = { SOVR_PRIVATE_KEY: "", SOVR_KEYSTORE: keystore, SOVR_KEYSTORE_PASSWORD: "correct horse" };
    const signalled = await sovrJson<{ signalId: string }>(
      [
        "signal",
        "--component",
        String(added.componentId),
        "--severity",
        "warning",
        "--kind",
        "auth_failure",
        "--message",
        "3 failed logins",
      ],
      keystoreEnv,
    );
    const indexedSignal = await graphql<{ signal: { componentId: number; severity: string; kind: string; message: string } }>(
      `{ signal(id: "${signalled.signalId}") { componentId severity kind message } }`,
    );
    expect(indexedSignal.signal).toEqual({
      componentId: added.componentId,
      severity: "WARNING",
      kind: "auth_failure",
      message: "3 failed logins",
    });
    const wrongKey = await sovr([
      "signal",
      "--component",
      String(added.componentId),
      "--severity",
      "info",
      "--kind",
      "x",
      "--message",
      "y",
    ]);
    expect(wrongKey.stderr).toBe(
      `sovr: signal refused: the signer (${OWNER}) is not component ${added.componentId}'s reporter (NotReporter)\n`,
    );

    chmodSync(keystore, 0o644);
    const exposed = await sovr(
      ["signal", "--component", String(added.componentId), "--severity", "info", "--kind", "x", "--message", "y"],
      keystoreEnv,
    );
    expect(exposed).toMatchObject({
      code: 2,
      stderr: `sovr: SOVR_KEYSTORE ${keystore} is readable by group or others (mode 644); run chmod 600 on it\n`,
    });
    chmodSync(keystore, 0o600);
    const wrongPassword = await sovr(
      ["signal", "--component", String(added.componentId), "--severity", "info", "--kind", "x", "--message", "y"],
      { ...keystoreEnv, SOVR_KEYSTORE_PASSWORD: "wrong" },
    );
    expect(wrongPassword).toMatchObject({
      code: 2,
      stderr: `sovr: SOVR_KEYSTORE ${keystore} does not open with SOVR_KEYSTORE_PASSWORD (wrong password?)\n`,
    });

    const retired = await sovr(["components", "retire", String(added.componentId)]);
    expect(retired.stdout).toBe(`component ${added.componentId} retired\n`);
    expect((await sovrJson<{ id: number }[]>(["components", "list"])).map((c) => c.id)).not.toContain(added.componentId);
    expect(
      (await sovrJson<{ id: number; retired: boolean }[]>(["components", "list", "--all"])).find((c) => c.id === added.componentId)
        ?.retired,
    ).toBe(true);
    const unknown = await sovr(["control", "stop", "9999"]);
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toMatch(/^sovr: there is no component 9999 \(\d+ registered; pnpm sovr components list\)\n$/);
  });

  it("lists the guardian's verdicts unacknowledged first, and acknowledges one", async () => {
    type Listing = {
      unacknowledged: number;
      total: number;
      verdicts: { id: string; acknowledged: boolean; level: string; analyzer: string }[];
    };
    // The guardian judges every event above; wait for its first verdicts to be indexed.
    let listing = await sovrJson<Listing>(["verdicts"]);
    for (let tries = 0; listing.total === 0 && tries < 60; tries++) {
      await new Promise((r) => setTimeout(r, 500));
      listing = await sovrJson<Listing>(["verdicts"]);
    }
    expect(listing.total).toBeGreaterThan(0);
    const target = listing.verdicts[0]!;
    expect(target).toMatchObject({ acknowledged: false, analyzer: "rules/2" });

    const acked = await sovr(["ack", target.id, "--note", "seen, expected"]);
    expect(acked).toMatchObject({ code: 0, stdout: `verdict ${target.id} acknowledged: seen, expected\n` });
    expect(
      (
        await client.readContract({
          address: deployment.guardian,
          abi: guardianAttestationsAbi,
          functionName: "getVerdict",
          args: [BigInt(target.id)],
        })
      ).acknowledged,
    ).toBe(true);
    const after = await sovrJson<Listing>(["verdicts", "--limit", "1000"]);
    const order = after.verdicts.map((v) => v.acknowledged);
    expect(order.indexOf(true)).toBeGreaterThan(order.lastIndexOf(false));
    expect(after.verdicts.find((v) => v.id === target.id)?.acknowledged).toBe(true);
    const open = await sovrJson<Listing>(["verdicts", "--unacknowledged"]);
    expect(open.verdicts.every((v) => !v.acknowledged)).toBe(true);

    const twice = await sovr(["ack", target.id]);
    expect(twice.stderr).toBe(`sovr: ack refused: verdict ${target.id} was already acknowledged (AlreadyAcknowledged)\n`);
    const unknown = await sovr(["ack", "99999999"]);
    expect(unknown.code).toBe(2);

    // Several at once: one transaction, one note, every one acknowledged.
    const two = (await sovrJson<Listing>(["verdicts", "--unacknowledged", "--limit", "2"])).verdicts.map((v) => v.id);
    expect(two).toHaveLength(2);
    const both = await sovrJson<{ verdictIds: string[]; note: string; txHash: Hex }>(["ack", ...two, "--note", "batch reviewed"]);
    expect(both).toMatchObject({ verdictIds: two, note: "batch reviewed" });
    const receipt = await client.getTransactionReceipt({ hash: both.txHash });
    const acknowledgedInTx = receipt.logs.filter((log) => log.address.toLowerCase() === deployment.guardian.toLowerCase()).length;
    expect(acknowledgedInTx).toBe(2);
    const repeated = await sovr(["ack", two[0]!, two[0]!]);
    expect(repeated).toMatchObject({ code: 2, stderr: "sovr: a verdict id is named twice\n" });
  });

  it("names an address once, for every view, and removes the name", async () => {
    const named = await sovr(["label", PAYEE, "Payee Ltd"]);
    expect(named).toMatchObject({ code: 0, stdout: `${PAYEE} is "Payee Ltd" on every device\n` });
    expect(
      await client.readContract({ address: deployment.directory, abi: sovrDirectoryAbi, functionName: "labelOf", args: [PAYEE] }),
    ).toBe("Payee Ltd");
    const indexed = await graphql<{ label: { label: string } | null }>(`{ label(subject: "${PAYEE.toLowerCase()}") { label } }`);
    expect(indexed.label).toEqual({ label: "Payee Ltd" });
    const tooLong = await sovr(["label", PAYEE, "x".repeat(65)]);
    expect(tooLong).toMatchObject({ code: 2, stderr: "sovr: name is 65 bytes; at most 64 fit\n" });
    const cleared = await sovr(["label", PAYEE, "--clear"]);
    expect(cleared.code).toBe(0);
    expect(
      await client.readContract({ address: deployment.directory, abi: sovrDirectoryAbi, functionName: "labelOf", args: [PAYEE] }),
    ).toBe("");
  });

  it("bills with invoice create (printing the pay link), shows, lists, and pays safely from another key", async () => {
    const payerKey = { SOVR_PRIVATE_KEY: OUTSIDER_KEY };
    const payer = privateKeyToAccount(OUTSIDER_KEY).address;
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const created = await sovrJson<{ id: string; payUrl: string; amount: string }>([
      "invoice",
      "create",
      "--payer",
      payer,
      "--due",
      tomorrow,
      "--reference",
      "INV-CLI-1",
      "--partial",
      "--item",
      "Review, hours|1.5|10.00",
      "--item",
      "Report|1|15.00",
    ]);
    expect(created.amount).toBe("$30.00");
    expect(created.payUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/pay/31337/${created.id}$`));
    const id = created.id;
    expect(await sovrJson<{ status: string; overdue: boolean; items: unknown[] }>(["invoice", "show", id])).toMatchObject({
      status: "Open",
      overdue: false,
      items: [{ description: "Review, hours", quantity: "1.5", unitPrice: "$10.00", total: "$15.00" }, { total: "$15.00" }],
    });

    // Without an account, then short of funds: the CLI says what is missing and sends nothing.
    const broke = await sovr(["invoice", "pay", id], payerKey);
    expect(broke.code).toBe(1);
    expect(broke.stderr).toContain("has no SOVR account yet, so $30.00 is missing");
    await sovrJson(["issue", "--to", payer, "--amount", "20.00"]);
    const short = await sovr(["invoice", "pay", id], payerKey);
    expect(short).toMatchObject({
      code: 1,
      stderr: "sovr: pay refused: your account can spend $20.00 (credit line included); $10.00 is missing\n",
    });

    const part = await sovrJson<{ status: string; transferId: string }>(
      ["invoice", "pay", id, "--amount", "12.00", "--payment-id", "7"],
      payerKey,
    );
    expect(part.status).toBe("PartiallyPaid");
    expect((await client.readContract({ ...ledger(), functionName: "getTransfer", args: [BigInt(part.transferId)] })).amount).toBe(
      12_000_000n,
    );
    await sovrJson(["issue", "--to", payer, "--amount", "20.00"]);
    // The same payment id again never charges twice.
    const again = await sovr(["invoice", "pay", id, "--amount", "12.00", "--payment-id", "7"], payerKey);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("was already applied with the same fields; nothing changed (Exists)");
    const over = await sovr(["invoice", "pay", id, "--amount", "19.00"], payerKey);
    expect(over).toMatchObject({
      code: 1,
      stderr: `sovr: pay refused: paying $19.00 would overpay invoice ${id}: only $18.00 is still owed (Overpayment)\n`,
    });
    expect(await sovrJson<{ status: string }>(["invoice", "pay", id], payerKey)).toMatchObject({ status: "Paid" });
    expect(await sovrJson<{ status: string; paid: string; payments: unknown[] }>(["invoice", "show", id])).toMatchObject({
      status: "Paid",
      paid: "$30.00",
      payments: [{ amount: "$12.00" }, { amount: "$18.00" }],
    });

    // A second invoice falls overdue on the chain's clock, is listed as such, cancelled, and refuses payment.
    const late = await sovrJson<{ id: string }>(["invoice", "create", "--amount", "5.00", "--payer", payer, "--due", tomorrow]);
    await client.request({ method: "evm_increaseTime" as never, params: [3 * 86_400] as never });
    await client.request({ method: "evm_mine" as never });
    await expect
      .poll(async () => (await sovrJson<{ overdue: boolean }>(["invoice", "show", late.id])).overdue, { timeout: 20_000 })
      .toBe(true);
    const overdue = await sovrJson<{ id: string }[]>(["invoice", "list", "--status", "overdue"]);
    expect(overdue.map((invoice) => invoice.id)).toEqual([late.id]);
    const listed = await sovr(["invoice", "list"]);
    expect(listed.stdout).toMatch(new RegExp(`\\n${late.id}\\s+Open OVERDUE\\s+\\$5\\.00`));
    expect(await sovrJson<{ status: string }>(["invoice", "cancel", late.id])).toMatchObject({ status: "Cancelled" });
    const cancelled = await sovr(["invoice", "pay", late.id], payerKey);
    expect(cancelled).toMatchObject({
      code: 1,
      stderr: `sovr: pay refused: invoice ${late.id} was cancelled; nothing is owed on it (InvoiceIsCancelled)\n`,
    });
    expect((await sovr(["reconcile"])).code).toBe(0);
  });

  it("refuses wrong arguments with one line and exit 2, sending nothing", async () => {
    const nonceBefore = await client.getTransactionCount({ address: OWNER });
    const cases: [string[], string][] = [
      [["transfer", "--from", OWNER, "--to", PAYEE, "--amount", "1.234"], "--amount: an amount has at most two decimals (cents)"],
      [
        ["transfer", "--from", OWNER, "--to", PAYEE, "--amount=-5"],
        '--amount: an amount is a number of dollars with at most two decimals, e.g. 12.50, not "-5"',
      ],
      [
        ["transfer", "--from", OWNER, "--to", PAYEE, "--amount", "abc"],
        '--amount: an amount is a number of dollars with at most two decimals, e.g. 12.50, not "abc"',
      ],
      [["transfer", "--from", OWNER, "--to", PAYEE], "--amount is required (dollars with cents, e.g. 12.34)"],
      [["transfer", "--from", "424242", "--to", PAYEE, "--amount", "1.00"], "--from: account 424242 does not exist"],
      [["transfer", "--from", OWNER, "--to", "77", "--amount", "1.00"], "--to: account 77 does not exist"],
      [["pending", "post", "12x"], 'pending transfer id must be a whole number, not "12x"'],
      [["credit-line", "raise", "1"], 'unknown credit-line action "raise"; one of: set, freeze, unfreeze'],
      [
        ["order", "create", "--to", PAYEE, "--amount", "10.00", "--every", "fortnightly"],
        '--every: an interval is a number with months, weeks, days, hours, minutes or seconds, e.g. monthly, quarterly, weekly, "3 months", "14d", "12h"; not "fortnightly"',
      ],
      [["order", "create", "--to", PAYEE, "--amount", "10.00", "--max", "9.00"], "--max $9.00 is below --amount $10.00"],
      [
        ["order", "create", "--to", PAYEE, "--amount", "10.00", "--start", "2020-01-01"],
        '--start: the start 2020-01-01 is already past (times are UTC); use "now" to start now',
      ],
      [["plan", "publish", "--price", "5.00"], "--name: the plan's name is required"],
      [["commitment", "approve", "1", "0"], "milestone number 0 is out of range (1 to 2^32-1)"],
      [
        ["commitment", "create", "--to", PAYEE, "--milestone", "Design", "--deadline", "2099-01-01"],
        '--milestone 1: write it as "description|dollars", e.g. "Design approved|1500.00"',
      ],
      [
        ["components", "add", "--name", "x", "--kind", "toaster", "--endpoint", "http://x"],
        '--kind must be one of CORE_BACKEND, MOBILE_APP, WEB_DASHBOARD, BROWSER_EXTENSION, BLOCKCHAIN, SECURITY, INFRASTRUCTURE, OTHER, not "toaster"',
      ],
      [
        ["signal", "--component", "1", "--severity", "loud", "--kind", "x", "--message", "y"],
        '--severity must be one of INFO, WARNING, ERROR, CRITICAL, not "loud"',
      ],
      [
        ["transfer", "--from", OWNER, "--to", PAYEE, "--amount", "1.00", "--colour", "red"],
        "transfer: Unknown option '--colour' (pnpm sovr transfer --help)",
      ],
      [
        ["transfer", "--key", OWNER_KEY],
        "--key is refused: a key on the command line is visible to every user in the process list and stays in shell history; set SOVR_PRIVATE_KEY or SOVR_KEYSTORE instead",
      ],
      [
        ["mint"],
        'unknown verb "mint"; verbs: status, accounts, transfer, pending, issue, redeem, credit-line, invoice, order, plan, commitment, keeper, components, control, signal, verdicts, ack, label, maintenance, notify, secret, ask, keys, reconcile, deploy (pnpm sovr --help)',
      ],
      [
        ["invoice", "create", "--amount", "1.00", "--due", "2020-01-01"],
        "--due: the due date 2020-01-01 is already over (dates are UTC days)",
      ],
      [
        ["invoice", "create", "--amount", "5", "--item", "bad"],
        '--item 1: write it as "description|quantity|unit price", e.g. "Design, hours|7.5|80.00"',
      ],
      [["invoice", "create", "--payer", PAYEE], "--amount is required (dollars with cents, e.g. 12.34), or --item lines"],
      [["invoice", "show", "x"], 'invoice id must be a whole number, not "x"'],
      [["invoice", "pay", "1", "--status", "Open"], "invoice pay does not take --status"],
      [["invoice", "list", "--status", "Late"], '--status must be one of Open, PartiallyPaid, Paid, Cancelled, Overdue, not "Late"'],
    ];
    for (const [args, line] of cases) {
      const run = await sovr(args);
      expect({ args, code: run.code, stderr: run.stderr, stdout: run.stdout }).toEqual({
        args,
        code: 2,
        stderr: `sovr: ${line}\n`,
        stdout: "",
      });
    }
    const noKey = await sovr(["issue", "--to", OWNER, "--amount", "1.00"], { SOVR_PRIVATE_KEY: "" });
    expect(noKey).toMatchObject({
      code: 2,
      stderr:
        "sovr: this verb signs a transaction: set SOVR_PRIVATE_KEY, or SOVR_KEYSTORE to a key file or to hardhat (pnpm sovr --help)\n",
    });
    expect(await client.getTransactionCount({ address: OWNER })).toBe(nonceBefore);
    const help = await sovr(["transfer", "--help"]);
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toMatch(/^usage: pnpm sovr transfer --from <account> --to <account\|address> --amount <dollars>/);
  });

  it("refuses Anvil's well-known keys on a chain other than the local one", async () => {
    const port = await freePort();
    const mainnetLike = spawn(anvilBinary(), ["--host", "127.0.0.1", "--port", String(port), "--chain-id", "1", "--silent"], {
      stdio: "ignore",
    });
    others.push(mainnetLike);
    const probe = createPublicClient({ transport: http(`http://127.0.0.1:${port}`, { retryCount: 0 }) });
    for (let tries = 0; ; tries++) {
      try {
        expect(await probe.getChainId()).toBe(1);
        break;
      } catch (error) {
        if (tries > 100) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const refused = await sovr(["issue", "--to", OWNER, "--amount", "1.00"], {
      SOVR_RPC_URL: `http://127.0.0.1:${port}`,
      SOVR_PRIVATE_KEY: OUTSIDER_KEY,
    });
    expect(refused).toMatchObject({
      code: 2,
      stderr: `sovr: refusing Anvil's well-known account #5 (${privateKeyToAccount(OUTSIDER_KEY).address}) on chain 1: its key is public, use it only on the local chain (31337)\n`,
    });
    // Any other key passes the check and meets the next question: the test's deployment is not on chain 1.
    const fresh = await sovr(["issue", "--to", OWNER, "--amount", "1.00"], {
      SOVR_RPC_URL: `http://127.0.0.1:${port}`,
      SOVR_PRIVATE_KEY: generatePrivateKey(),
    });
    expect(fresh).toMatchObject({
      code: 1,
      stderr: `sovr: chain 1 has no SOVR ledger at ${deployment.ledger} (deployment ${deploymentId}); is SOVR_RPC_URL the chain it was deployed on?\n`,
    });
    // The host keys hold nothing on chain 1: `keys` says where to send gas, never the keys themselves.
    const hostKeys = await sovr(["keys"], { SOVR_RPC_URL: `http://127.0.0.1:${port}` });
    expect(hostKeys.code, hostKeys.stderr).toBe(0);
    for (const name of ["supervisor", "guardian"]) {
      const address = privateKeyToAccount(readFileSync(join(home, "keys", `${name}.key`), "utf8").trim() as Hex).address;
      expect(hostKeys.stdout).toContain(`${name} needs gas: send at least 0.05 ETH on chain 1 to ${address} from a wallet you control.`);
    }
    expect(hostKeys.stdout).not.toMatch(/0x[0-9a-f]{64}/i);
    mainnetLike.kill("SIGTERM");
  });

  it("runs standing orders, plans with their paid invoices, and commitments, each refusal in one line", async () => {
    const outsider = privateKeyToAccount(OUTSIDER_KEY).address;
    const asOutsider = { SOVR_PRIVATE_KEY: OUTSIDER_KEY };
    expect((await sovr(["issue", "--to", outsider, "--amount", "500.00"])).code).toBe(0);

    // The owner publishes a plan; the outsider subscribes and is charged at once, with a paid invoice.
    const plan = await sovrJson<{ id: number; subscribeUrl: string; price: string }>([
      "plan",
      "publish",
      "--name",
      "Pro monthly",
      "--price",
      "25.00",
    ]);
    expect(plan.subscribeUrl).toMatch(new RegExp(`/subscribe/31337/${plan.id}$`));
    const subscription = await sovrJson<{ id: string; planId: number; charged: number; upcoming: string[] }>(
      ["plan", "subscribe", String(plan.id)],
      asOutsider,
    );
    expect(subscription).toMatchObject({ planId: plan.id, charged: 1 });
    const invoices = await sovrJson<{ status: string; reference: string; amount: string; payer: string }[]>([
      "invoice",
      "list",
      "--payer",
      outsider,
    ]);
    expect(invoices).toContainEqual(expect.objectContaining({ status: "Paid", reference: "Pro monthly", amount: "$25.00" }));
    const again = await sovr(["plan", "subscribe", String(plan.id)], asOutsider);
    expect(again).toMatchObject({ code: 1 });
    expect(again.stderr).toBe(
      `sovr: subscribe refused: you already subscribe to plan ${plan.id} (order ${subscription.id}); cancel that first (AlreadySubscribed)\n`,
    );

    // A standing order of three monthly payments, the first made now; nothing else is due yet.
    const order = await sovrJson<{ id: string; chargedNow: boolean; periods: number; interval: string }>([
      "order",
      "create",
      "--to",
      outsider,
      "--amount",
      "10.00",
      "--every",
      "monthly",
      "--count",
      "3",
    ]);
    expect(order).toMatchObject({ chargedNow: true, periods: 3, interval: "monthly" });
    const shown = await sovrJson<{ charged: number; history: { period: number; status: string; amount: string }[]; upcoming: string[] }>([
      "order",
      "show",
      order.id,
    ]);
    expect(shown.charged).toBe(1);
    expect(shown.history).toEqual([expect.objectContaining({ period: 0, status: "Charged", amount: "$10.00" })]);
    expect(shown.upcoming).toHaveLength(2);
    expect((await sovr(["order", "charge"])).stdout).toBe("nothing due\n");
    const stranger = await sovr(["order", "cancel", order.id], { SOVR_PRIVATE_KEY: generatePrivateKey() });
    expect(stranger).toMatchObject({
      code: 1,
      stderr: `sovr: cancel refused: only order ${order.id}'s payer or payee may cancel it (NotPayerOrPayee)\n`,
    });
    expect((await sovr(["order", "cancel", order.id], asOutsider)).code).toBe(0);
    const listed = await sovrJson<{ id: string; status: string }[]>(["order", "list", "--payee", outsider]);
    expect(listed).toContainEqual(expect.objectContaining({ id: order.id, status: "Cancelled" }));

    // A commitment to the outsider: reserved at once, paid milestone by milestone; only the payee cancels.
    const deadline = new Date((Number((await client.getBlock()).timestamp) + 30 * 86_400) * 1000).toISOString().slice(0, 10);
    const commitment = await sovrJson<{ id: string; total: string }>([
      "commitment",
      "create",
      "--to",
      outsider,
      "--milestone",
      "Design|30.00",
      "--milestone",
      "Build|70.00",
      "--deadline",
      deadline,
    ]);
    expect(commitment.total).toBe("$100.00");
    expect((await sovr(["commitment", "approve", commitment.id, "1"])).code).toBe(0);
    const twice = await sovr(["commitment", "approve", commitment.id, "1"]);
    expect(twice.stderr).toBe(
      `sovr: approval refused: milestone 1 of commitment ${commitment.id} is no longer reserved (posted) (MilestoneNotPending)\n`,
    );
    const byPayer = await sovr(["commitment", "cancel", commitment.id]);
    expect(byPayer.stderr).toBe(
      `sovr: cancel refused: only commitment ${commitment.id}'s payee or arbiter may cancel it (the payer waits for the deadline) (NotPayeeOrArbiter)\n`,
    );
    expect((await sovr(["commitment", "cancel", commitment.id], asOutsider)).code).toBe(0);
    const progress = await sovrJson<{ status: string; paid: string; released: string; milestones: { status: string }[] }>([
      "commitment",
      "show",
      commitment.id,
    ]);
    expect(progress).toMatchObject({ status: "Cancelled", paid: "$30.00", released: "$70.00" });
    expect(progress.milestones.map((m) => m.status)).toEqual(["Approved", "Voided"]);

    // Anyone may run the keeper with their own key: one pass, nothing due.
    const pass = await sovrJson<{ charged: number; transactions: number }>(["keeper", "--once"], asOutsider);
    expect(pass).toMatchObject({ charged: 0, transactions: 0 });
    const reconciled = await sovr(["reconcile"]);
    expect(reconciled.code).toBe(0);
  });

  it("signs with the owner's key from Hardhat's keystore, asking for its password, and says what is wrong in one line", async () => {
    const configHome = mkdtempSync(join(tmpdir(), "sovr-hardhat-keystore-"));
    // Hardhat keeps its keystore under XDG_CONFIG_HOME.
    const hardhatEnv = { XDG_CONFIG_HOME: configHome };
    const absent = await sovr(["issue", "--to", OWNER, "--amount", "1.00"], {
      SOVR_PRIVATE_KEY: "",
      SOVR_KEYSTORE: "hardhat",
      ...hardhatEnv,
    });
    expect(absent).toMatchObject({
      code: 2,
      stderr: "sovr: Hardhat's keystore has no SOVR_OWNER_KEY: add it with `pnpm hardhat keystore set SOVR_OWNER_KEY`\n",
    });
    const password = "a long keystore password";
    await typeIntoHardhat(["keystore", "set", "SOVR_OWNER_KEY"], [password, password, OWNER_KEY], hardhatEnv);
    const keystoreFile = readFileSync(join(configHome, "hardhat-nodejs", "keystore.json"), "utf8");
    expect(keystoreFile).not.toContain(OWNER_KEY.slice(2));

    const signed = await sovr(
      ["issue", "--to", OWNER, "--amount", "1.00", "--json"],
      { SOVR_PRIVATE_KEY: "", SOVR_KEYSTORE: "hardhat", ...hardhatEnv },
      `${password}\n`,
    );
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stderr).toContain("Enter the password");
    expect(JSON.parse(signed.stdout)).toMatchObject({ amount: "$1.00", txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(signed.stdout + signed.stderr).not.toContain(OWNER_KEY.slice(2));

    const wrong = await sovr(
      ["issue", "--to", OWNER, "--amount", "1.00"],
      { SOVR_PRIVATE_KEY: "", SOVR_KEYSTORE: "hardhat", ...hardhatEnv },
      "not the password\n",
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split("\n").at(-1)).toMatch(/^sovr: Hardhat's keystore did not give SOVR_OWNER_KEY: .*password/i);
    rmSync(configHome, { recursive: true, force: true });
  });

  it("lists the host keys funded on the local chain", async () => {
    const listed = await sovrJson<{ chainId: number; keys: { name: string; address: Address; balanceEth: string; needsFunds: boolean }[] }>(
      ["keys"],
    );
    expect(listed.chainId).toBe(31337);
    expect(listed.keys.map((key) => key.name)).toEqual(["supervisor", "guardian"]);
    for (const key of listed.keys) {
      expect(Number(key.balanceEth)).toBeGreaterThan(10);
      expect(key.needsFunds).toBe(false);
    }
  });
});

/** Runs Hardhat's CLI and answers its prompts one by one, as a user at the terminal would. */
async function typeIntoHardhat(args: string[], answers: string[], env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, [hardhatCli(), ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: "pipe" });
  const pending = [...answers];
  let output = "";
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    // Each prompt ends with ": " and waits; one answer per prompt, or the next prompt misses its line.
    if (/: $/.test(chunk.toString()) && pending.length > 0) child.stdin.write(`${pending.shift()}\n`);
    if (pending.length === 0) child.stdin.end();
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  if (code !== 0) throw new Error(`hardhat ${args.join(" ")} exited ${code}: ${output}`);
}
