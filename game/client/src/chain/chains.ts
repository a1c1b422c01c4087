/** The chains the client knows: the local devnet (RPC overridable with `?rpc=` or VITE_RPC_URL) and public ones. */
import { defineChain } from "viem";
import { holesky, mainnet, sepolia } from "viem/chains";

export const LOCAL_CHAIN_ID = 31337;
const DEFAULT_RPC = "http://127.0.0.1:8545";

/** The local chain's RPC URL: `?rpc=` in the page URL, else VITE_RPC_URL, else 127.0.0.1:8545. */
export function localRpcUrl(): string {
  const fromQuery = typeof location === "undefined" ? null : new URLSearchParams(location.search).get("rpc");
  if (fromQuery && /^https?:\/\//.test(fromQuery)) return fromQuery;
  const fromEnv = import.meta.env.VITE_RPC_URL as string | undefined;
  return fromEnv && fromEnv.length > 0 ? fromEnv : DEFAULT_RPC;
}

export const localChain = defineChain({
  id: LOCAL_CHAIN_ID,
  name: "Local devnet",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [localRpcUrl()] } },
  testnet: true,
});

export const chains = [localChain, sepolia, holesky, mainnet] as const;

export function isLocalChain(chainId: number | undefined): boolean {
  return chainId === LOCAL_CHAIN_ID;
}
