/**
 * An honest EIP-6963 wallet for browser tests: the page gets a provider that announces itself like any
 * wallet extension, and every request it makes crosses to Node, which signs with a local key and sends
 * the raw transaction to the chain. The key never enters the page.
 */
import type { Page } from "playwright-core";
import { createPublicClient, createWalletClient, type Hex, http, numberToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";

type Request = { method: string; params?: unknown[] };
type Reply = { result?: unknown; error?: { code: number; message: string } };

export type TestWallet = {
  address: Hex;
  /** The next signature request is refused as a user would (EIP-1193 code 4001). */
  rejectNext(): void;
  /** The chain the wallet says it is on (a wrong one shows the switch banner). */
  setChainId(chainId: number): void;
  /** Methods the page asked for, in order. */
  requests: string[];
  /** The chains the page asked the wallet to add (EIP-3085), as it sent them. */
  added: AddEthereumChainParameter[];
};

export type AddEthereumChainParameter = {
  chainId: Hex;
  chainName: string;
  rpcUrls: string[];
  blockExplorerUrls?: string[];
  nativeCurrency: { name: string; symbol: string; decimals: number };
};

/**
 * `chainId` is the chain it signs on; with `startsOn` the wallet sits on that chain instead and knows
 * nothing of `chainId` until the page adds it (EIP-3085), as a wallet meeting a chain for the first time.
 */
export async function installWallet(
  page: Page,
  options: { privateKey: Hex; rpcUrl: string; chainId: number; startsOn?: number },
): Promise<TestWallet> {
  const account = privateKeyToAccount(options.privateKey);
  const transport = http(options.rpcUrl);
  const chain = { ...foundry, id: options.chainId, rpcUrls: { default: { http: [options.rpcUrl] } } };
  const publicClient = createPublicClient({ chain, transport });
  const walletClient = createWalletClient({ chain, transport, account });
  let chainId = options.startsOn ?? options.chainId;
  const known = new Set([chainId]);
  const added: AddEthereumChainParameter[] = [];
  let rejectNext = false;
  let authorized = false;
  const requests: string[] = [];
  const signing = new Set(["eth_sendTransaction", "personal_sign", "eth_signTypedData_v4"]);

  await page.exposeFunction("__testWalletRequest", async ({ method, params = [] }: Request): Promise<Reply> => {
    requests.push(method);
    if (signing.has(method) && rejectNext) {
      rejectNext = false;
      return { error: { code: 4001, message: "User rejected the request." } };
    }
    try {
      switch (method) {
        // Like a wallet extension: no account is exposed until the page asked and the user agreed.
        case "eth_requestAccounts":
          authorized = true;
          return { result: [account.address] };
        case "eth_accounts":
          return { result: authorized ? [account.address] : [] };
        case "eth_chainId":
          return { result: numberToHex(chainId) };
        case "net_version":
          return { result: String(chainId) };
        case "wallet_switchEthereumChain": {
          const wanted = Number((params[0] as { chainId: Hex }).chainId);
          if (!known.has(wanted)) return { error: { code: 4902, message: `Unrecognized chain ${wanted}` } };
          chainId = wanted;
          return { result: null };
        }
        // Like MetaMask: the user approves the new chain and the wallet switches to it.
        case "wallet_addEthereumChain": {
          const parameter = params[0] as AddEthereumChainParameter;
          added.push(parameter);
          if (Number(parameter.chainId) !== options.chainId) return { error: { code: 4001, message: "User rejected the request." } };
          known.add(options.chainId);
          chainId = options.chainId;
          return { result: null };
        }
        case "wallet_getPermissions":
        case "wallet_requestPermissions":
          return { result: [{ parentCapability: "eth_accounts" }] };
        case "eth_sendTransaction": {
          const tx = params[0] as { to: Hex; data?: Hex; value?: Hex; gas?: Hex };
          const hash = await walletClient.sendTransaction({
            to: tx.to,
            data: tx.data,
            value: tx.value ? BigInt(tx.value) : 0n,
            ...(tx.gas ? { gas: BigInt(tx.gas) } : {}),
          });
          return { result: hash };
        }
        case "personal_sign":
          return { result: await account.signMessage({ message: { raw: params[0] as Hex } }) };
        case "eth_signTypedData_v4":
          return { result: await account.signTypedData(JSON.parse(params[1] as string)) };
        default:
          return { result: await publicClient.request({ method, params } as never) };
      }
    } catch (error) {
      return { error: { code: -32603, message: (error as Error).message.split("\n")[0] ?? "internal error" } };
    }
  });

  await page.addInitScript(() => {
    const listeners = new Map<string, Set<(value: unknown) => void>>();
    const emit = (event: string, value: unknown) => {
      for (const listener of listeners.get(event) ?? []) listener(value);
    };
    const bridge = (
      window as unknown as {
        __testWalletRequest: (request: {
          method: string;
          params?: unknown[];
        }) => Promise<{ result?: unknown; error?: { code: number; message: string } }>;
      }
    ).__testWalletRequest;
    const provider = {
      async request({ method, params }: { method: string; params?: unknown[] }) {
        const reply = await bridge({ method, params: params ?? [] });
        if (reply.error) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
        if (method === "wallet_switchEthereumChain" || method === "wallet_addEthereumChain")
          emit("chainChanged", (params?.[0] as { chainId: string } | undefined)?.chainId);
        if (method === "eth_requestAccounts") emit("accountsChanged", reply.result);
        return reply.result;
      },
      on(event: string, listener: (value: unknown) => void) {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(listener);
        return provider;
      },
      removeListener(event: string, listener: (value: unknown) => void) {
        listeners.get(event)?.delete(listener);
        return provider;
      },
    };
    const info = {
      uuid: "5c1b0f6e-8d0e-4a57-9a34-6f0c2d1e7a11",
      name: "Test Wallet",
      icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 8 8'%3E%3Crect width='8' height='8' fill='%2338bdf8'/%3E%3C/svg%3E",
      rdns: "dev.sovr.testwallet",
    };
    const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
    window.addEventListener("eip6963:requestProvider", announce);
    announce();
  });

  return {
    address: account.address,
    rejectNext: () => {
      rejectNext = true;
    },
    setChainId: (id) => {
      chainId = id;
    },
    requests,
    added,
  };
}
