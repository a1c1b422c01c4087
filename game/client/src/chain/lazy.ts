/** Loads the chain layer (wagmi, viem, the chain panels) once, on demand. */
import { create } from "zustand";

export type ChainModule = typeof import("./ChainLayer.js");

interface ChainLoader {
  mod: ChainModule | null;
  loading: boolean;
  error: string | null;
  load(): void;
}

export const useChainLayer = create<ChainLoader>()((set, get) => ({
  mod: null,
  loading: false,
  error: null,
  load: () => {
    if (get().mod || get().loading) return;
    set({ loading: true, error: null });
    import("./ChainLayer.js")
      .then((mod) => set({ mod, loading: false }))
      .catch((e: unknown) =>
        set({ loading: false, error: `The wallet code could not load: ${e instanceof Error ? e.message : String(e)}` }),
      );
  },
}));

/** A wallet was connected in an earlier visit: wagmi reconnects it, so the chain layer loads at once. */
export function walletRemembered(): boolean {
  try {
    if (localStorage.getItem("surge-gold.burner-connected") === "1") return true;
    const recent = localStorage.getItem("wagmi.recentConnectorId");
    const store = localStorage.getItem("wagmi.store") ?? "";
    return (recent !== null && recent !== "null") || /"status":"connected"/.test(store);
  } catch {
    return false;
  }
}
