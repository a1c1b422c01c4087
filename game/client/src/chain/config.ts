/**
 * The one wagmi config: the local devnet chain plus public chains an injected wallet may be on; the burner
 * connector only serves the local chain. Log queries go out in pages of 5,000 blocks (game/chain/paging.ts).
 */
import { createConfig, http, injected } from "wagmi";
import { holesky, mainnet, sepolia } from "viem/chains";
import { withLogPaging } from "../../../chain/paging.js";
import { burner } from "./burner.js";
import { chains, localChain, localRpcUrl } from "./chains.js";

export { chains, isLocalChain, LOCAL_CHAIN_ID, localChain, localRpcUrl } from "./chains.js";

export const wagmiConfig = createConfig({
  chains,
  connectors: [burner(), injected({ shimDisconnect: true })],
  // The panels read their history from the deployment's first block: public RPCs take eth_getLogs in pages.
  transports: {
    [localChain.id]: withLogPaging(http(localRpcUrl(), { retryCount: 1 })),
    [sepolia.id]: withLogPaging(http()),
    [holesky.id]: withLogPaging(http()),
    [mainnet.id]: withLogPaging(http()),
  },
  pollingInterval: 1_000,
});

declare module "wagmi" {
  interface Register {
    config: typeof wagmiConfig;
  }
}
