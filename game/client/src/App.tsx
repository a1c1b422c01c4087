/**
 * The shell: header with tabs and wallet, chain notices, the transaction log, and the open panel. The chain layer
 * (wagmi, viem, chain panels) loads on demand; until then the shell shows practice play and a connect button.
 */
import { Suspense, useEffect } from "react";
import { useChainLayer, walletRemembered, type ChainModule } from "./chain/lazy.js";
import { PlayPanel } from "./PlayPanel.js";
import { LocalNotice } from "./panels/LocalNotice.js";
import { SoundToggle } from "./SoundToggle.js";
import { TxLog } from "./panels/TxLog.js";
import { useUi, type Panel } from "./store.js";

const TABS: [Panel, string][] = [
  ["play", "Play"],
  ["runs", "Runs & rewards"],
  ["vault", "Vault"],
  ["network", "Network"],
  ["leaderboard", "Leaderboard"],
];

export function App() {
  const mod = useChainLayer((s) => s.mod);
  const load = useChainLayer((s) => s.load);
  useEffect(() => {
    if (walletRemembered()) load();
  }, [load]);
  return mod ? (
    <mod.Providers>
      <Shell mod={mod} />
    </mod.Providers>
  ) : (
    <Shell mod={null} />
  );
}

function Shell({ mod }: { mod: ChainModule | null }) {
  const panel = useUi((s) => s.panel);
  const setPanel = useUi((s) => s.setPanel);
  const { load, loading, error } = useChainLayer();
  useEffect(() => {
    if (panel !== "play" && !mod) load();
  }, [panel, mod, load]);
  const Open = panel === "play" ? null : mod ? mod.PANELS[panel] : null;
  return (
    <div className="app">
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
        {mod ? (
          <mod.WalletBar />
        ) : (
          <div className="wallet">
            <button data-testid="connect-wallet" disabled={loading} onClick={load}>
              {loading ? "Loading wallets…" : "Connect wallet"}
            </button>
            {error && <span className="error">{error}</span>}
          </div>
        )}
        <SoundToggle />
      </header>
      {mod ? <mod.ChainNotice /> : <LocalNotice />}
      <main>
        {panel === "play" ? (
          <PlayPanel mod={mod} />
        ) : Open ? (
          <Suspense fallback={<p className="card">Loading…</p>}>
            <Open />
          </Suspense>
        ) : (
          <p className="card">Loading the chain panels…</p>
        )}
      </main>
      <TxLog />
    </div>
  );
}
