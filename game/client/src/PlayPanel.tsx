/**
 * Play: choose practice (no wallet, random seed or `?seed=`) or ranked (a seed drawn on-chain), play, and see the outcome.
 */
import { useGame } from "./store.js";
import { GameView } from "./GameView.js";
import { RunController, practiceSeed, seedFromUrl } from "./run.js";
import { useChainLayer, type ChainModule } from "./chain/lazy.js";

/** The result card scrolls into view when it appears (once: a stable ref callback), "Play again" with it. */
const showOutcome = (el: HTMLElement | null) => el?.scrollIntoView({ block: "nearest" });

export function PlayPanel({ mod }: { mod: ChainModule | null }) {
  const controller = useGame((s) => s.controller);
  const outcome = useGame((s) => s.outcome);
  const begin = useGame((s) => s.begin);
  const quit = useGame((s) => s.quit);

  if (!controller) {
    return (
      <section className="modes">
        <div className="card">
          <h2>Practice</h2>
          <p>
            {seedFromUrl() ? "The mine of the seed in the page address" : "A fresh random mine"}, no wallet needed.
            Nothing is submitted: learn the ground.
          </p>
          <button className="primary" data-testid="play-practice" onClick={() => begin(new RunController({ mode: "practice", seed: practiceSeed() }))}>
            Play practice
          </button>
        </div>
        {mod ? <mod.RankedCard onStart={(spec) => begin(new RunController(spec))} /> : <RankedTeaser />}
      </section>
    );
  }

  return (
    <section className="play">
      {controller.spec.mode === "ranked" && mod && !outcome && <mod.RankedClock spec={controller.spec} />}
      <GameView key={controller.spec.seed} controller={controller} />
      {outcome && (
        <div className="card outcome" data-testid="outcome" ref={showOutcome}>
          <h2>{outcome.reason}</h2>
          <p className="big">
            <b data-testid="outcome-gold">{outcome.result.gold}</b> gold · depth {outcome.result.maxDepth} ·{" "}
            {(outcome.result.ticks / 20).toFixed(1)} s · lives {outcome.result.lives} · energy {outcome.result.energy}
          </p>
          <details>
            <summary>Run inputs ({(outcome.inputsHex.length - 2) / 2} bytes) — anyone can replay them</summary>
            <code className="mono wrap" data-testid="outcome-inputs" data-seed={outcome.spec.seed}>
              {outcome.inputsHex}
            </code>
            <p className="mono small">seed {outcome.spec.seed}</p>
          </details>
          {outcome.spec.mode === "ranked" && mod && <mod.RankedSubmit outcome={outcome} />}
          <div className="row">
            {outcome.spec.mode === "practice" && (
              <button className="primary" data-testid="play-again" onClick={() => begin(new RunController({ mode: "practice", seed: practiceSeed() }))}>
                Play again
              </button>
            )}
            <button data-testid="back-to-menu" onClick={quit}>
              Back to menu
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** The ranked card before the wallet code has loaded. */
function RankedTeaser() {
  const { load, loading } = useChainLayer();
  return (
    <div className="card" data-testid="ranked-card">
      <h2>Ranked</h2>
      <p>
        The seed is drawn on-chain; your inputs are submitted, replayed by bonded workers, and the gold you dig is paid
        in GOLD once the epoch is final.
      </p>
      <button className="primary" disabled={loading} onClick={load}>
        {loading ? "Loading wallets…" : "Connect a wallet to play ranked"}
      </button>
    </div>
  );
}
