import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { probeRun, type RunProbe } from "./run.js";
import { useGame, type GamePhase } from "./store.js";
import "./styles.css";

declare global {
  interface Window {
    /** The run on screen as the sim sees it (docs/CLIENT.md, "Testing hooks"); null before a run starts. */
    __surgeRun?: (withActions?: boolean) => (RunProbe & { phase: GamePhase }) | null;
  }
}
// Read-only, on purpose: the browser tests wait on the game's state through it, never on the wall clock.
window.__surgeRun = (withActions = false) => {
  const { controller, phase } = useGame.getState();
  return controller ? { ...probeRun(controller, withActions), phase } : null;
};

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
