/** The local devnet's chain id and RPC URL. No viem here: the page shell imports this before the chain code loads. */
export const LOCAL_CHAIN_ID = 31337;
const DEFAULT_RPC = "http://127.0.0.1:8545";

/** The local chain's RPC URL: `?rpc=` in the page URL, else VITE_RPC_URL, else 127.0.0.1:8545. */
export function localRpcUrl(): string {
  const fromQuery = typeof location === "undefined" ? null : new URLSearchParams(location.search).get("rpc");
  if (fromQuery && /^https?:\/\//.test(fromQuery)) return fromQuery;
  const fromEnv = import.meta.env.VITE_RPC_URL as string | undefined;
  return fromEnv && fromEnv.length > 0 ? fromEnv : DEFAULT_RPC;
}
