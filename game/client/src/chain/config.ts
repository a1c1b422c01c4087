/**
 * The one wagmi config: the local devnet chain plus public chains an injected wallet may be on; the burner
 * connector only serves the local chain.
 */
import { createConfig, http, injected } from "wagmi";
import { holesky, mainnet, sepolia } from "viem/chains";
import { burner } from "./burner.js";
import { chains, localChain, localRpcUrl } from "./chains.js";

export { chains, isLocalChain, LOCAL_CHAIN_ID, localChain, localRpcUrl } from "./chains.js";

export const wagmiConfig = createConfig({
  chains,
  connectors: [burner(), injected({ shimDisconnect: true })],
  transports: {
    [localChain.id]: http(localRpcUrl(), { retryCount: 1 }),
    [sepolia.id]: http(),
    [holesky.id]: http(),
    [mainnet.id]: http(),
  },
  pollingInterval: 1_000,
});

declare module "wagmi" {
  interface Register {
    config: typeof wagmiConfig;
  }
}
