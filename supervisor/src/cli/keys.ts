/**
 * The key a writing verb signs with: from `SOVR_PRIVATE_KEY`, from the file `SOVR_KEYSTORE` (a Web3
 * Secret Storage v3 JSON with `SOVR_KEYSTORE_PASSWORD`, or a bare hex key), or with
 * `SOVR_KEYSTORE=hardhat` from Hardhat's encrypted keystore. Never from the command line.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { childEnv, lastLine, repoRoot } from "@sovr/runtime";
import { LOCAL_CHAIN_ID } from "@sovr/runtime/chain";
import { hardhatCli } from "@sovr/runtime/deploy";
import { execa } from "execa";
import { type Address, type Hex, isHex } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { UsageError } from "./args.ts";

/** Flags that would put a key on the command line. */
const KEY_FLAGS = /^--(key|private-key|privatekey|keystore-password|password|mnemonic)(=|$)/i;

/**
 * Refuses a key given as an argument: every user of the host can read a process's arguments (`ps`),
 * and the shell keeps them in its history.
 */
export function refuseKeyOnCommandLine(argv: string[]): void {
  const flag = argv.find((arg) => KEY_FLAGS.test(arg));
  if (flag) {
    throw new UsageError(
      `${flag.split("=")[0]} is refused: a key on the command line is visible to every user in the process list and stays in shell history; set SOVR_PRIVATE_KEY or SOVR_KEYSTORE instead`,
    );
  }
}

/**
 * The first ten accounts of Anvil's mnemonic "test test test test test test test test test test test
 * junk" (the ones it funds), listed rather than derived: deriving them runs PBKDF2 ten times, about a
 * second on every command. args.test.ts derives them again and compares.
 */
export const ANVIL_ACCOUNTS: readonly Address[] = [
  "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
  "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
  "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
  "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
  "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
];

/**
 * Refuses Anvil's well-known accounts (its mnemonic's first ten) on any chain but the local one: their
 * keys are published, so anything they hold elsewhere is anyone's.
 */
export function refuseWellKnownKey(address: Address, chainId: number): void {
  if (chainId === LOCAL_CHAIN_ID) return;
  const index = ANVIL_ACCOUNTS.indexOf(address);
  if (index >= 0) {
    throw new UsageError(
      `refusing Anvil's well-known account #${index} (${address}) on chain ${chainId}: its key is public, use it only on the local chain (${LOCAL_CHAIN_ID})`,
    );
  }
}

/** A signing key and its account; the key itself only for handing on through a pipe (`sovr deploy`). */
export type SigningKey = { privateKey: Hex; account: PrivateKeyAccount };

function keyFromHex(text: string, source: string): SigningKey {
  const key = (text.startsWith("0x") ? text : `0x${text}`) as Hex;
  if (!isHex(key) || key.length !== 66) throw new UsageError(`${source} is not a private key (32 bytes as 64 hex digits)`);
  try {
    return { privateKey: key, account: privateKeyToAccount(key) };
  } catch {
    throw new UsageError(`${source} is not a valid secp256k1 private key`);
  }
}

/** The signing account the environment names; one readable line for every way it can be wrong. */
export async function loadKey(env: NodeJS.ProcessEnv): Promise<PrivateKeyAccount> {
  return (await loadSigningKey(env)).account;
}

/** The key the environment names, with its account. */
export async function loadSigningKey(env: NodeJS.ProcessEnv): Promise<SigningKey> {
  const inline = env.SOVR_PRIVATE_KEY?.trim();
  const file = env.SOVR_KEYSTORE?.trim();
  if (inline && file) throw new UsageError("both SOVR_PRIVATE_KEY and SOVR_KEYSTORE are set; set only the one to sign with");
  if (inline) return keyFromHex(inline, "SOVR_PRIVATE_KEY");
  if (!file)
    throw new UsageError(
      "this verb signs a transaction: set SOVR_PRIVATE_KEY, or SOVR_KEYSTORE to a key file or to hardhat (pnpm sovr --help)",
    );
  if (file === HARDHAT_KEYSTORE) return keyFromHardhatKeystore(env);

  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    throw new UsageError(`SOVR_KEYSTORE ${file} cannot be read`);
  }
  // A key readable by other users of the host is as good as published; ssh refuses the same.
  if ((mode & 0o077) !== 0) {
    throw new UsageError(`SOVR_KEYSTORE ${file} is readable by group or others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`);
  }
  const content = readFileSync(file, "utf8").trim();
  if (!content.startsWith("{")) return keyFromHex(content, `SOVR_KEYSTORE ${file}`);

  const password = env.SOVR_KEYSTORE_PASSWORD;
  if (password === undefined) throw new UsageError(`SOVR_KEYSTORE ${file} is an encrypted keystore: set SOVR_KEYSTORE_PASSWORD`);
  // ethers is loaded only here: its scrypt and AES are what a keystore needs, and nothing else does.
  const { decryptKeystoreJson, isKeystoreJson } = await import("ethers");
  if (!isKeystoreJson(content)) throw new UsageError(`SOVR_KEYSTORE ${file} is neither a v3 keystore JSON nor a hex key`);
  let decrypted;
  try {
    decrypted = await decryptKeystoreJson(content, password);
  } catch {
    throw new UsageError(`SOVR_KEYSTORE ${file} does not open with SOVR_KEYSTORE_PASSWORD (wrong password?)`);
  }
  return keyFromHex(decrypted.privateKey, `SOVR_KEYSTORE ${file}`);
}

/** `SOVR_KEYSTORE=hardhat`: the key is the entry SOVR_OWNER_KEY of Hardhat's encrypted keystore. */
const HARDHAT_KEYSTORE = "hardhat";
const HARDHAT_KEYSTORE_ENTRY = "SOVR_OWNER_KEY";
const HARDHAT_KEYSTORE_SCRIPT = join(repoRoot, "scripts", "hardhat-keystore-key.ts");

/**
 * Hardhat reads its keystore itself (it asks for the password on this terminal, its prompt shown on
 * stderr) and hands the key back through a pipe of its own, never stdout, a file or the environment.
 */
async function keyFromHardhatKeystore(env: NodeJS.ProcessEnv): Promise<SigningKey> {
  const inherited = childEnv({ SOVR_KEYSTORE_ENTRY: HARDHAT_KEYSTORE_ENTRY }, env);
  // Hardhat skips its keystore where it detects CI; SOVR_KEYSTORE=hardhat asks for it explicitly.
  for (const name of CI_MARKERS) delete inherited[name];
  const hardhat = execa(process.execPath, [hardhatCli(), "run", "--no-compile", HARDHAT_KEYSTORE_SCRIPT], {
    cwd: repoRoot,
    extendEnv: false,
    env: inherited,
    stdio: ["inherit", "pipe", "pipe", "pipe"],
    reject: false,
  });
  // The prompt, on stderr: stdout is the verb's answer (--json). A password typed on a terminal ends
  // the prompt's line; one from a pipe does not, so the line is ended here.
  let lineOpen = false;
  hardhat.stdout?.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    lineOpen = !chunk.toString().endsWith("\n");
  });
  const result = await hardhat;
  if (lineOpen) process.stderr.write("\n");
  const key = String(result.stdio[3] ?? "").trim();
  if (result.exitCode !== 0) {
    const error = lastLine(String(result.stderr ?? ""), /error/i).replace(/^Error HHE\d+ in plugin [\w-]+: /, "");
    const reason = error ? error.charAt(0).toLowerCase() + error.slice(1) : `hardhat exited ${result.exitCode}`;
    throw new UsageError(`Hardhat's keystore did not give ${HARDHAT_KEYSTORE_ENTRY}: ${reason}`);
  }
  if (!key)
    throw new UsageError(
      `Hardhat's keystore has no ${HARDHAT_KEYSTORE_ENTRY}: add it with \`pnpm hardhat keystore set ${HARDHAT_KEYSTORE_ENTRY}\``,
    );
  return keyFromHex(key, `Hardhat's keystore entry ${HARDHAT_KEYSTORE_ENTRY}`);
}

/** The variables Hardhat takes as a sign of CI (`@nomicfoundation/hardhat-utils/ci`). */
const CI_MARKERS = [
  "CI",
  "CONTINUOUS_INTEGRATION",
  "BUILD_NUMBER",
  "RUN_ID",
  "GITHUB_ACTIONS",
  "NOW",
  "DEPLOYMENT_ID",
  "CODEBUILD_BUILD_NUMBER",
];
