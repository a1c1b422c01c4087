/**
 * Everything that needs wagmi and viem, in one chunk the page loads on demand: when the player connects a wallet,
 * opens a chain panel, or had a wallet connected last time. Practice play never needs it.
 */
import type { ReactNode } from "react";
import { WagmiProvider } from "wagmi";
import { wagmiConfig } from "./config.js";

export function Providers({ children }: { children: ReactNode }) {
  return <WagmiProvider config={wagmiConfig}>{children}</WagmiProvider>;
}

export { ChainNotice, WalletBar } from "../panels/Wallet.js";
export { RankedCard, RankedClock, RankedSubmit } from "../panels/Ranked.js";
export { PANELS } from "../panels/index.js";
