/**
 * The burner wallet: a private key kept in localStorage, wrapped as a wagmi connector over a viem wallet client.
 * It exists for the local devnet only (chain 31337): it signs without prompts, so it must never hold real funds.
 */
import { createConnector } from "wagmi";
import { createWalletClient, http, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { LOCAL_CHAIN_ID, localChain, localRpcUrl } from "./chains.js";

const KEY = "surge-gold.burner-key";
const CONNECTED = "surge-gold.burner-connected";

/** The burner's key, created on first use. */
export function burnerKey(): Hex {
  let key = localStorage.getItem(KEY) as Hex | null;
  if (!key || !/^0x[0-9a-fA-F]{64}$/.test(key)) {
    key = generatePrivateKey();
    localStorage.setItem(KEY, key);
  }
  return key;
}

export function burnerAddress(): Address {
  return privateKeyToAccount(burnerKey()).address;
}

export function burner() {
  return createConnector((config) => {
    const transport = () => http(localRpcUrl())({ chain: localChain, retryCount: 0 });
    return {
      id: "burner",
      name: "Burner wallet",
      type: "burner",
      async connect(parameters) {
        localStorage.setItem(CONNECTED, "1");
        const address = burnerAddress();
        const accounts = parameters?.withCapabilities ? [{ address, capabilities: {} }] : [address];
        config.emitter.emit("change", { accounts: [address], chainId: LOCAL_CHAIN_ID });
        return { accounts, chainId: LOCAL_CHAIN_ID } as never;
      },
      async disconnect() {
        localStorage.removeItem(CONNECTED);
      },
      async getAccounts() {
        return [burnerAddress()];
      },
      async getChainId() {
        return LOCAL_CHAIN_ID;
      },
      async getProvider() {
        return { request: transport().request };
      },
      async getClient() {
        return createWalletClient({
          account: privateKeyToAccount(burnerKey()),
          chain: localChain,
          transport: http(localRpcUrl(), { retryCount: 0 }),
        });
      },
      async isAuthorized() {
        return localStorage.getItem(CONNECTED) === "1";
      },
      async switchChain({ chainId }) {
        if (chainId !== LOCAL_CHAIN_ID) throw new Error("The burner wallet works on the local devnet (chain 31337) only.");
        return localChain;
      },
      onAccountsChanged() {},
      onChainChanged() {},
      onDisconnect() {
        config.emitter.emit("disconnect");
      },
    };
  });
}
