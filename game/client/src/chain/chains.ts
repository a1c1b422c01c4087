/** The chains the client knows: the local devnet (RPC overridable with `?rpc=` or VITE_RPC_URL) and public ones. */
import { defineChain } from "viem";
import { holesky, mainnet, sepolia } from "viem/chains";

import { LOCAL_CHAIN_ID, localRpcUrl } from "./rpc.js";

export { LOCAL_CHAIN_ID, localRpcUrl };

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
