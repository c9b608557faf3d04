/**
 * Host keys: the supervisor's (controller and reporter of every component) and the guardian's
 * (GUARDIAN_ROLE). Generated on the first `sovr up` and kept in `<home>/keys/` readable by the owner
 * only, so no well-known development key ever holds a role. On the local chain the owner funds them.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "@sovr/runtime";
import {
  type Account,
  type Address,
  type Chain,
  formatEther,
  type Hex,
  nonceManager,
  type PublicClient,
  parseEther,
  type Transport,
  type WalletClient,
} from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";

export const HOST_KEYS = ["supervisor", "guardian"] as const;
export type HostKeyName = (typeof HOST_KEYS)[number];
export type HostKey = { name: HostKeyName; file: string; privateKey: Hex; account: PrivateKeyAccount };

/** Permission bits that let anyone but the owner read or write a key file. */
const GROUP_OR_OTHER_BITS = 0o077;
/** Owner-only folder and file modes. */
const KEYS_DIR_MODE = 0o700;
const KEY_FILE_MODE = 0o600;
const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/;

/** Balance each host key is topped up to on the local chain, and the level below which it is. */
const LOCAL_FUNDING = parseEther("100");
export const LOCAL_FUNDING_FLOOR = parseEther("10");

/**
 * Reads the host keys, generating those missing. A key file that others may read, or that holds
 * anything but one private key, stops the start with one line naming the file.
 */
export function ensureHostKeys(home: string): Record<HostKeyName, HostKey> {
  const dir = join(home, "keys");
  mkdirSync(dir, { recursive: true, mode: KEYS_DIR_MODE });
  chmodSync(dir, KEYS_DIR_MODE);
  const keys = {} as Record<HostKeyName, HostKey>;
  for (const name of HOST_KEYS) {
    const file = hostKeyFile(home, name);
    if (!existsSync(file)) writeFileSync(file, `${generatePrivateKey()}\n`, { mode: KEY_FILE_MODE, flag: "wx" });
    keys[name] = readHostKey(home, name)!;
  }
  return keys;
}

export const hostKeyFile = (home: string, name: HostKeyName) => join(home, "keys", `${name}.key`);

/** Reads one host key (undefined if not generated yet), refusing a file others can read or that holds no key. */
export function readHostKey(home: string, name: HostKeyName): HostKey | undefined {
  const file = hostKeyFile(home, name);
  if (!existsSync(file)) return undefined;
  const mode = statSync(file).mode;
  if (mode & GROUP_OR_OTHER_BITS) {
    throw new UserError(`${file} can be read by others (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${file}\``);
  }
  const privateKey = readFileSync(file, "utf8").trim();
  if (!PRIVATE_KEY.test(privateKey)) throw new UserError(`${file} does not hold a private key (0x and 64 hex digits)`);
  // viem's nonce manager hands out nonces in-process, so the prober, keeper and executor can send at once.
  return { name, file, privateKey: privateKey as Hex, account: privateKeyToAccount(privateKey as Hex, { nonceManager }) };
}

/** Tops each address up to the local funding level from the owner's account; returns what was sent. */
export async function fundOnLocalChain(
  client: PublicClient,
  owner: WalletClient<Transport, Chain, Account>,
  addresses: Address[],
): Promise<{ address: Address; amount: string }[]> {
  const funded: { address: Address; amount: string }[] = [];
  for (const address of addresses) {
    const balance = await client.getBalance({ address });
    if (balance >= LOCAL_FUNDING_FLOOR) continue;
    const value = LOCAL_FUNDING - balance;
    const hash = await owner.sendTransaction({ to: address, value, chain: owner.chain });
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new UserError(`funding ${address} failed in ${hash}`);
    funded.push({ address, amount: formatEther(value) });
  }
  return funded;
}
