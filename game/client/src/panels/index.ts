/** The chain panels, each loaded when its tab is first opened (their ABIs stay out of the first page load). */
import { lazy, type ComponentType } from "react";
import type { Panel } from "../store.js";

export const PANELS: Record<Exclude<Panel, "play">, ComponentType> = {
  runs: lazy(() => import("./Runs.js").then((m) => ({ default: m.RunsPanel }))),
  vault: lazy(() => import("./Vault.js").then((m) => ({ default: m.VaultPanel }))),
  network: lazy(() => import("./Network.js").then((m) => ({ default: m.NetworkPanel }))),
  leaderboard: lazy(() => import("./Leaderboard.js").then((m) => ({ default: m.LeaderboardPanel }))),
};
