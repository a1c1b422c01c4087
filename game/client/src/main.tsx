import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { attractProbe, type AttractProbe } from "./attract/attract.js";
import { probeRun, type RunProbe } from "./run.js";
import { installSoundUnlock, soundProbe } from "./sound.js";
import { useGame, type GamePhase } from "./store.js";
import "./styles.css";

declare global {
  interface Window {
    /** The run on screen as the sim sees it (docs/CLIENT.md, "Testing hooks"); null before a run starts. */
    __surgeRun?: (withActions?: boolean) => (RunProbe & { phase: GamePhase }) | null;
    /** The landing page's attract loop (ticks played, loops, frames drawn); null when it is not on screen. */
    __surgeAttract?: () => AttractProbe | null;
    /** The sound: mute switch, AudioContext state ("none" before the first input), effects played by name. */
    __surgeSound?: () => ReturnType<typeof soundProbe>;
  }
}
// Read-only, on purpose: the browser tests wait on the game's state through it, never on the wall clock.
window.__surgeRun = (withActions = false) => {
  const { controller, phase } = useGame.getState();
  return controller ? { ...probeRun(controller, withActions), phase } : null;
};

window.__surgeAttract = attractProbe;
window.__surgeSound = soundProbe;
// Autoplay rules: the AudioContext is created on the player's first key or pointer press, never before.
installSoundUnlock();

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
