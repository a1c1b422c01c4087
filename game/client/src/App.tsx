/** The shell: header with tabs and wallet, chain notices, the transaction log, and the open panel. */
import { Suspense } from "react";
import { PlayPanel } from "./PlayPanel.js";
import { ChainNotice, WalletBar } from "./panels/Wallet.js";
import { TxLog } from "./panels/TxLog.js";
import { useGame, useUi, type Panel } from "./store.js";
import { PANELS } from "./panels/index.js";

const TABS: [Panel, string][] = [
  ["play", "Play"],
  ["runs", "Runs & rewards"],
  ["vault", "Vault"],
  ["network", "Network"],
  ["leaderboard", "Leaderboard"],
];

export function App() {
  const panel = useUi((s) => s.panel);
  const setPanel = useUi((s) => s.setPanel);
  const inGame = useGame((s) => s.controller !== null && s.outcome === null);
  const Open = panel === "play" ? PlayPanel : PANELS[panel];
  return (
    <div className={`app ${inGame && panel === "play" ? "in-game" : ""}`}>
      <header>
        <h1>
          <span className="logo">◆</span> Surge Gold
        </h1>
        <nav>
          {TABS.map(([id, label]) => (
            <button key={id} className={panel === id ? "tab active" : "tab"} data-testid={`tab-${id}`} onClick={() => setPanel(id)}>
              {label}
            </button>
          ))}
        </nav>
        <WalletBar />
      </header>
      <ChainNotice />
      <main>
        <Suspense fallback={<p className="card">Loading…</p>}>
          <Open />
        </Suspense>
      </main>
      <TxLog />
    </div>
  );
}
