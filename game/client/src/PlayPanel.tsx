/**
 * Play: the landing page (Landing.tsx: the attract loop, practice or ranked), then the run and its outcome.
 */
import { useGame } from "./store.js";
import { GameView } from "./GameView.js";
import { Landing } from "./Landing.js";
import { RunController, practiceSeed } from "./run.js";
import type { ChainModule } from "./chain/lazy.js";

/** The result card scrolls into view when it appears (once: a stable ref callback), "Play again" with it. */
const showOutcome = (el: HTMLElement | null) => el?.scrollIntoView({ block: "nearest" });

export function PlayPanel({ mod }: { mod: ChainModule | null }) {
  const controller = useGame((s) => s.controller);
  const outcome = useGame((s) => s.outcome);
  const begin = useGame((s) => s.begin);
  const quit = useGame((s) => s.quit);

  if (!controller) return <Landing mod={mod} />;

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
