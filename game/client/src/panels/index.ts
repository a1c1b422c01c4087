import type { ComponentType } from "react";
import type { Panel } from "../store.js";
import { LeaderboardPanel } from "./Leaderboard.js";
import { NetworkPanel } from "./Network.js";
import { RunsPanel } from "./Runs.js";
import { VaultPanel } from "./Vault.js";

export const PANELS: Record<Exclude<Panel, "play">, ComponentType> = {
  runs: RunsPanel,
  vault: VaultPanel,
  network: NetworkPanel,
  leaderboard: LeaderboardPanel,
};
