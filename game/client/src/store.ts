/**
 * Client state in two small zustand stores, read through selectors: the game (what run is on, its HUD, its
 * outcome) and the UI (open panel, transaction progress). Chain data lives in react-query (wagmi), not here.
 */
import { create } from "zustand";
import { MAX_TICKS, START_ENERGY, START_LIVES, TICK_RATE, type RunResult } from "../../sim/index.js";
import type { RunController, RunSpec } from "./run.js";

export interface Hud {
  gold: number;
  surge: number;
  energy: number;
  lives: number;
  depth: number;
  /** Column of the prospector (its row is `depth`). */
  x: number;
  secondsLeft: number;
}

export type GamePhase = "loading" | "ready" | "playing" | "paused" | "over";

export interface Outcome {
  spec: RunSpec;
  result: RunResult;
  reason: string;
  inputsHex: `0x${string}`;
}

export const INITIAL_HUD: Hud = {
  gold: 0,
  surge: 1,
  energy: START_ENERGY,
  lives: START_LIVES,
  depth: 0,
  x: 8,
  secondsLeft: MAX_TICKS / TICK_RATE,
};

interface GameStore {
  controller: RunController | null;
  phase: GamePhase;
  loadProgress: number;
  loadError: string | null;
  hud: Hud;
  outcome: Outcome | null;
  begin(controller: RunController): void;
  setPhase(phase: GamePhase): void;
  setLoad(progress: number): void;
  setLoadError(message: string): void;
  setHud(hud: Hud): void;
  setOutcome(outcome: Outcome): void;
  quit(): void;
}

export const useGame = create<GameStore>()((set) => ({
  controller: null,
  phase: "loading",
  loadProgress: 0,
  loadError: null,
  hud: INITIAL_HUD,
  outcome: null,
  begin: (controller) =>
    set({ controller, phase: "loading", loadProgress: 0, loadError: null, hud: INITIAL_HUD, outcome: null }),
  setPhase: (phase) => set({ phase }),
  setLoad: (loadProgress) => set({ loadProgress }),
  setLoadError: (loadError) => set({ loadError }),
  setHud: (hud) => set({ hud }),
  setOutcome: (outcome) => set({ outcome, phase: "over" }),
  quit: () => set({ controller: null, outcome: null, phase: "loading" }),
}));

export type Panel = "play" | "runs" | "vault" | "network" | "leaderboard";

interface UiStore {
  panel: Panel;
  setPanel(panel: Panel): void;
}

export const useUi = create<UiStore>()((set) => ({
  panel: "play",
  setPanel: (panel) => set({ panel }),
}));
