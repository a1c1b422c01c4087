/**
 * The landing page (Play, before a run): the mine playing a recorded run by itself (the attract mode, drawn without
 * Phaser), one line on what you earn and how it is verified, and the two calls to action. Below them, the ranked card
 * (wallet, session key, start), which *Play ranked* brings into view after loading the wallet code.
 */
import { useEffect, useRef, useState } from "react";
import { A_H, A_W, startAttract } from "./attract/attract.js";
import { useChainLayer, type ChainModule } from "./chain/lazy.js";
import { RunController, practiceSeed, seedFromUrl, type RunSpec } from "./run.js";
import { useGame } from "./store.js";

export function Landing({ mod }: { mod: ChainModule | null }) {
  const begin = useGame((s) => s.begin);
  const { load } = useChainLayer();
  const ranked = useRef<HTMLDivElement>(null);
  const [wantRanked, setWantRanked] = useState(false);

  // Play ranked: the ranked card needs the wallet code; once it is there, show the card and put the focus in it.
  useEffect(() => {
    if (!wantRanked || !mod || !ranked.current) return;
    ranked.current.scrollIntoView({ block: "center", behavior: "smooth" });
    ranked.current.querySelector<HTMLElement>("button:not(:disabled)")?.focus({ preventScroll: true });
    setWantRanked(false);
  }, [wantRanked, mod]);

  return (
    <section className="landing" data-testid="landing">
      <div className="landing-hero">
        <AttractView />
        <div className="landing-pitch">
          <p className="landing-line" data-testid="landing-line">
            <b>Dig gold, mint GOLD:</b> every run is replayed by independent workers and provable on-chain.
          </p>
          <div className="landing-cta">
            <button
              className="primary"
              data-testid="play-practice"
              onClick={() => begin(new RunController({ mode: "practice", seed: practiceSeed() }))}
            >
              Play practice
            </button>
            <button
              className="primary alt"
              data-testid="cta-ranked"
              onClick={() => {
                load();
                setWantRanked(true);
              }}
            >
              Play ranked
            </button>
          </div>
          <p className="muted small">
            <b>Practice</b>: {seedFromUrl() ? "the mine of the seed in the page address" : "a fresh random mine"}, no
            wallet, nothing sent. <b>Ranked</b>: the seed is drawn on-chain and your gold is paid in GOLD once the
            workers' replays agree.
          </p>
          <p className="muted small">Arrows / WASD to dig · Space digs down · P pauses · M mutes</p>
        </div>
      </div>
      <div ref={ranked} className="landing-ranked">
        {mod ? <mod.RankedCard onStart={(spec: RunSpec) => begin(new RunController(spec))} /> : <RankedTeaser />}
      </div>
    </section>
  );
}

/** The canvas of the attract loop; its code (and the recording) is small, so it is part of the first load. */
function AttractView() {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    return startAttract(canvas.current);
  }, []);
  return (
    <canvas
      ref={canvas}
      className="attract"
      data-testid="attract"
      width={A_W}
      height={A_H}
      role="img"
      aria-label="A recorded run replayed: the prospector digs for gold"
    />
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
