/** The transaction log's store (no viem: the page shell shows it before the chain code loads). */
import type { Hash } from "viem";
import { create } from "zustand";

export type TxState = "signing" | "pending" | "confirmed" | "failed";

export interface TxEntry {
  id: number;
  label: string;
  state: TxState;
  hash?: Hash;
  message?: string;
  at: number;
}

interface TxStore {
  entries: TxEntry[];
  put(entry: TxEntry): void;
  clear(): void;
}

export const useTxLog = create<TxStore>()((set) => ({
  entries: [],
  put: (entry) => set((s) => ({ entries: [entry, ...s.entries.filter((e) => e.id !== entry.id)].slice(0, 8) })),
  clear: () => set({ entries: [] }),
}));

