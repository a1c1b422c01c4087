/**
 * Hosts the Phaser game for one run: imports the Phaser chunk on mount (the first time the player presses Play),
 * creates the game once and destroys it on unmount. Around it: the HUD, touch controls, and the loading state.
 */
import { useEffect, useRef, useState } from "react";
import { Action, MAX_ENERGY, MAX_SURGE } from "../../sim/index.js";
import { bus } from "./bus.js";
import type { RunController } from "./run.js";
import { useGame } from "./store.js";

export function GameView({ controller }: { controller: RunController }) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const phase = useGame((s) => s.phase);
  const progress = useGame((s) => s.loadProgress);
  const loadError = useGame((s) => s.loadError);

  useEffect(() => {
    let destroy: (() => void) | null = null;
    let cancelled = false;
    import("./game/index.js")
      .then(({ launchGame }) => {
        if (!cancelled && host.current) destroy = launchGame(host.current, controller);
      })
      .catch((e: unknown) => setError(`The game could not load: ${e instanceof Error ? e.message : String(e)}`));
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [controller]);

  return (
    <div className="game-wrap">
      <Hud />
      <div className="game-host" ref={host} data-testid="game-host" data-phase={phase} data-seed={controller.spec.seed}>
        {phase === "loading" && (
          <div className="game-loading">Loading the mine… {Math.round(progress * 100)}%</div>
        )}
      </div>
      {(error ?? loadError) && <p className="error" role="alert">{error ?? loadError}</p>}
      <TouchControls />
      <p className="hint">
        Arrows / WASD: move and dig (walk into a cell to dig it, into rock to hit it) · Space: dig down · P / Esc:
        pause · Q: climb out (end the run)
      </p>
    </div>
  );
}

function Hud() {
  const hud = useGame((s) => s.hud);
  const phase = useGame((s) => s.phase);
  const minutes = Math.floor(hud.secondsLeft / 60);
  const seconds = String(hud.secondsLeft % 60).padStart(2, "0");
  return (
    <div className="hud" data-testid="hud" data-pos={`${hud.x},${hud.depth}`}>
      <span className="hud-gold" title="Gold this run">
        ◆ <b data-testid="hud-gold">{hud.gold}</b>
      </span>
      <span className={`hud-surge surge-${hud.surge}`} title={`Surge multiplier (up to x${MAX_SURGE})`}>
        SURGE <b data-testid="hud-surge">x{hud.surge}</b>
      </span>
      <span className="hud-energy" title="Energy: digging costs 1, hitting rock 2">
        ⚡
        <meter min={0} max={MAX_ENERGY} value={hud.energy} />
        <b data-testid="hud-energy">{hud.energy}</b>
      </span>
      <span className="hud-lives" title="Lives" data-testid="hud-lives" data-lives={hud.lives}>
        {"♥".repeat(hud.lives)}
        <span className="lost">{"♥".repeat(Math.max(0, 3 - hud.lives))}</span>
      </span>
      <span className="hud-depth">depth {hud.depth}</span>
      <span className="hud-time" data-testid="hud-time">
        {minutes}:{seconds}
      </span>
      {phase === "paused" && <span className="hud-paused">PAUSED</span>}
    </div>
  );
}

const PAD: [Action, string, string][] = [
  [Action.UP, "▲", "up"],
  [Action.LEFT, "◀", "left"],
  [Action.DOWN, "▼", "down"],
  [Action.RIGHT, "▶", "right"],
];

function TouchControls() {
  const hold = (a: Action) => ({
    onPointerDown: (e: React.PointerEvent) => {
      e.preventDefault();
      (e.target as HTMLElement).setPointerCapture?.(e.pointerId);
      bus.emit("press", a);
    },
    onPointerUp: () => bus.emit("release", a),
    onPointerCancel: () => bus.emit("release", a),
    onContextMenu: (e: React.MouseEvent) => e.preventDefault(),
  });
  return (
    <div className="touch" aria-label="Touch controls">
      <div className="pad">
        {PAD.map(([a, glyph, name]) => (
          <button key={name} className={`pad-${name}`} aria-label={name} {...hold(a)}>
            {glyph}
          </button>
        ))}
      </div>
      <div className="touch-side">
        <button onClick={() => bus.emit("togglePause", undefined)}>Pause</button>
        <button onClick={() => bus.emit("finish", undefined)}>Climb out</button>
      </div>
    </div>
  );
}
