import Phaser from "phaser";
import { Action, Cell, cellAt, damageAt, DEPTH, Event, MAX_TICKS, TICK_RATE, WIDTH } from "../../../sim/index.js";
import { bus } from "../bus.js";
import { TICK_MS, type TickReport } from "../run.js";
import { play, playTick, toggleMute } from "../sound.js";
import { useGame, type Hud } from "../store.js";
import { CELL, COLS, FONT, LOOK_UP, MINER_FRAME, PARTICLE_FRAME, ROWS, SCALE, SURGE_COLORS, tileFrame, TILE_FRAME, VIEW_H, VIEW_W } from "./art.js";
import type { GameContext } from "./context.js";

const KEYS: Record<string, Action> = {
  ArrowLeft: Action.LEFT,
  KeyA: Action.LEFT,
  ArrowRight: Action.RIGHT,
  KeyD: Action.RIGHT,
  ArrowUp: Action.UP,
  KeyW: Action.UP,
  ArrowDown: Action.DOWN,
  KeyS: Action.DOWN,
  Space: Action.DOWN,
};

/** A visual glide between two cells; purely cosmetic (the sim moves in whole cells). */
interface Glide {
  fromX: number;
  fromY: number;
  toX: number;
  toY: number;
  start: number;
  duration: number;
}

/**
 * The run itself: feeds keys to the RunController at the sim's fixed 20 Hz tick and draws the state it computes at
 * the display's frame rate, gliding the prospector between cells. Effects react to the tick's `Event` flags.
 */
export class PlayScene extends Phaser.Scene {
  private tiles: Phaser.GameObjects.Image[] = [];
  private miner!: Phaser.GameObjects.Sprite;
  private glow!: Phaser.GameObjects.Graphics;
  private dirt!: Phaser.GameObjects.Particles.ParticleEmitter;
  private sparks!: Phaser.GameObjects.Particles.ParticleEmitter;
  private gas!: Phaser.GameObjects.Particles.ParticleEmitter;
  private dust!: Phaser.GameObjects.Particles.ParticleEmitter;
  private pausedText!: Phaser.GameObjects.Text;
  private glide: Glide = { fromX: 0, fromY: 0, toX: 0, toY: 0, start: 0, duration: 1 };
  private facingLeft = false;
  private digUntil = 0;
  private hurtUntil = 0;
  private walkFrame = 0;
  private hud: Hud | null = null;
  /** The surge multiplier before the tick being played, to hear it rise. */
  private surge = 1;
  private cleanups: (() => void)[] = [];

  constructor(private readonly ctx: GameContext) {
    super("Play");
  }

  /** Time on the sim's clock in ms, continuous between ticks. */
  private get simTime(): number {
    const c = this.ctx.controller;
    return (c.state.tick + c.alpha) * TICK_MS;
  }

  create(): void {
    const c = this.ctx.controller;
    this.cameras.main.setBackgroundColor("#000000");
    for (let r = 0; r < ROWS + 1; r++) {
      for (let x = 0; x < COLS; x++) {
        this.tiles.push(this.add.image(x * CELL, r * CELL, "tiles", TILE_FRAME.DIRT).setOrigin(0).setScale(SCALE));
      }
    }
    this.glow = this.add.graphics();
    this.miner = this.add.sprite(0, 0, "miner", MINER_FRAME.WALK_A).setOrigin(0).setScale(SCALE);
    this.glide = { fromX: c.state.x, fromY: c.state.y, toX: c.state.x, toY: c.state.y, start: 0, duration: 1 };
    const burst = (frame: number, extra: Phaser.Types.GameObjects.Particles.ParticleEmitterConfig) =>
      this.add.particles(0, 0, "particles", { frame, emitting: false, scale: { start: SCALE, end: 0.5 }, ...extra });
    this.dirt = burst(PARTICLE_FRAME.DIRT, { lifespan: 450, speed: { min: 60, max: 170 }, gravityY: 500 });
    this.sparks = burst(PARTICLE_FRAME.SPARK, { lifespan: 700, speed: { min: 80, max: 220 }, gravityY: 120, alpha: { start: 1, end: 0 } });
    this.gas = burst(PARTICLE_FRAME.GAS, { lifespan: 900, speed: { min: 20, max: 90 }, scale: { start: 2, end: 5 }, alpha: { start: 0.9, end: 0 } });
    this.dust = burst(PARTICLE_FRAME.DUST, { lifespan: 600, speed: { min: 30, max: 110 }, gravityY: -40, alpha: { start: 0.8, end: 0 } });
    this.pausedText = this.add
      .text(VIEW_W / 2, VIEW_H / 2, "PAUSED\nP or Esc to resume", { font: "bold 28px monospace", color: "#ffffff", align: "center", stroke: "#000", strokeThickness: 6 })
      .setOrigin(0.5)
      .setDepth(10)
      .setVisible(false);

    const onDown = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement) return;
      const a = KEYS[e.code];
      if (a !== undefined) {
        e.preventDefault();
        if (!e.repeat) c.press(a);
      } else if (e.code === "KeyP" || e.code === "Escape") {
        e.preventDefault();
        this.togglePause();
      } else if (e.code === "KeyQ") {
        e.preventDefault();
        c.finish();
      } else if (e.code === "KeyM" && !e.repeat) {
        toggleMute();
      }
    };
    const onUp = (e: KeyboardEvent) => {
      const a = KEYS[e.code];
      if (a !== undefined) c.release(a);
    };
    const onBlur = () => c.releaseAll();
    window.addEventListener("keydown", onDown);
    window.addEventListener("keyup", onUp);
    window.addEventListener("blur", onBlur);
    this.cleanups.push(
      () => window.removeEventListener("keydown", onDown),
      () => window.removeEventListener("keyup", onUp),
      () => window.removeEventListener("blur", onBlur),
      bus.on("press", (a) => c.press(a)),
      bus.on("release", (a) => c.release(a)),
      bus.on("togglePause", () => this.togglePause()),
      bus.on("finish", () => c.finish()),
    );
    const cleanup = () => this.cleanups.splice(0).forEach((f) => f());
    this.events.once("shutdown", cleanup);
    this.events.once("destroy", cleanup);
    // A page button keeping the focus would also take Space and Enter: the keys belong to the game now.
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    // A resumed run (after a reload, or back on the Play tab) opens paused: P, Esc or the Pause button plays on.
    this.pausedText.setVisible(c.paused);
    useGame.getState().setPhase(c.paused ? "paused" : "playing");
    this.pushHud();
    this.draw();
    // For the bench: when the first playable frame was drawn, in ms since navigation start.
    const marks = window as unknown as { __surgePlayableAt?: number };
    marks.__surgePlayableAt ??= performance.now();
  }

  private togglePause(): void {
    const c = this.ctx.controller;
    if (c.over) return;
    c.paused = !c.paused;
    c.releaseAll();
    this.pausedText.setVisible(c.paused);
    useGame.getState().setPhase(c.paused ? "paused" : "playing");
  }

  override update(_time: number, delta: number): void {
    const c = this.ctx.controller;
    const reports = c.update(delta);
    for (const r of reports) {
      playTick(r, this.surge);
      this.surge = r.surge;
      this.react(r);
    }
    if (reports.length > 0) this.pushHud();
    this.draw();
    if (c.over) {
      // A flash or shake still running (the gas or cave-in that ended the run) would freeze as a flat frame.
      this.cameras.main.resetFX();
      play("runOver");
      useGame.getState().setOutcome({ spec: c.spec, result: c.result(), reason: c.endReason(), inputsHex: c.inputsHex() });
      this.scene.pause();
      this.scene.launch("RunOver");
    }
  }

  private pushHud(): void {
    const s = this.ctx.controller.state;
    const hud: Hud = {
      gold: s.gold,
      surge: s.surge,
      energy: s.energy,
      lives: s.lives,
      depth: s.y,
      x: s.x,
      secondsLeft: Math.ceil((MAX_TICKS - s.tick) / TICK_RATE),
    };
    const old = this.hud;
    if (old && old.gold === hud.gold && old.surge === hud.surge && old.energy === hud.energy && old.lives === hud.lives && old.depth === hud.depth && old.x === hud.x && old.secondsLeft === hud.secondsLeft) return;
    this.hud = hud;
    useGame.getState().setHud(hud);
  }

  /** Feedback for one tick: glide, frames, particles, shakes, floating numbers. */
  private react(r: TickReport): void {
    const s = this.ctx.controller.state;
    const now = (r.tick - 1) * TICK_MS;
    if (r.x !== r.fromX || r.y !== r.fromY) {
      const at = this.displayed();
      this.glide = { fromX: at.x, fromY: at.y, toX: r.x, toY: r.y, start: now, duration: (s.cooldown + 1) * TICK_MS };
      this.walkFrame ^= 1;
    }
    if (r.action === Action.LEFT) this.facingLeft = true;
    else if (r.action === Action.RIGHT) this.facingLeft = false;
    const cx = (x: number) => x * CELL + CELL / 2;
    const target = targetOf(r);
    if (r.events & (Event.DIG | Event.HIT | Event.BREAK)) this.digUntil = now + 200;
    if (r.events & Event.DIG) this.dirt.explode(8, cx(r.x), this.rowY(r.y) + CELL / 2);
    if (r.events & Event.HIT) {
      this.dust.explode(5, cx(target.x), this.rowY(target.y) + CELL / 2);
      this.cameras.main.shake(60, 0.004);
    }
    if (r.events & Event.BREAK) {
      this.dirt.explode(14, cx(target.x), this.rowY(target.y) + CELL / 2);
      this.dust.explode(8, cx(target.x), this.rowY(target.y) + CELL / 2);
      this.cameras.main.shake(120, 0.008);
    }
    if (r.events & Event.PICKUP) {
      this.sparks.explode(10 + 4 * r.surge, cx(r.x), this.rowY(r.y) + CELL / 2);
      this.floatText(r.x, r.y, r.surge > 1 ? `+${r.gain}  x${r.surge}` : `+${r.gain}`, r.surge > 1 ? "#ff9a2a" : "#ffd84a");
    }
    if (r.events & Event.CANTEEN) this.floatText(r.x, r.y, "+energy", "#7fd4ff");
    if (r.events & Event.GAS) {
      this.gas.explode(16, cx(r.x), this.rowY(r.y) + CELL / 2);
      this.cameras.main.shake(300, 0.015);
      this.cameras.main.flash(250, 120, 255, 80);
      this.hurtUntil = now + 1000;
      this.floatText(r.x, r.y, "GAS! -1 life", "#b6ff6a");
    }
    if (r.events & Event.CRUSH) {
      this.dust.explode(20, cx(r.x), this.rowY(r.y));
      this.cameras.main.shake(350, 0.02);
      this.cameras.main.flash(250, 255, 60, 60);
      this.hurtUntil = now + 1000;
      this.floatText(r.x, r.y, "CAVE-IN! -1 life", "#ff6a6a");
    }
    if (r.events & Event.ROCK_LOOSE) {
      this.floatText(r.x, r.y - 1, "!", "#ffffff");
      this.dust.explode(6, cx(r.x), this.rowY(r.y));
    }
    if (r.events & Event.ROCK_LAND) this.cameras.main.shake(100, 0.006);
    if (r.events & Event.SURGE_LOST) this.floatText(r.x, r.y, "surge faded", "#c0c0c0");
  }

  private floatText(x: number, y: number, label: string, color: string): void {
    const t = this.add
      .text(x * CELL + CELL / 2, this.rowY(y), label, { ...FONT, color, stroke: "#000000", strokeThickness: 4 })
      .setOrigin(0.5, 1)
      .setDepth(5);
    this.tweens.add({ targets: t, y: t.y - 40, alpha: 0, duration: 900, ease: "Cubic.easeOut", onComplete: () => t.destroy() });
  }

  /** Where the prospector is drawn now, in (fractional) cells. */
  private displayed(): { x: number; y: number } {
    const g = this.glide;
    const k = Math.min(1, Math.max(0, (this.simTime - g.start) / g.duration));
    const e = 1 - (1 - k) * (1 - k);
    return { x: g.fromX + (g.toX - g.fromX) * e, y: g.fromY + (g.toY - g.fromY) * e };
  }

  /** The first row on screen (fractional): the view follows the prospector. */
  private top = -LOOK_UP;
  private rowY(y: number): number {
    return (y - this.top) * CELL;
  }

  private draw(): void {
    const s = this.ctx.controller.state;
    const at = this.displayed();
    this.top = Math.min(DEPTH - ROWS, at.y - LOOK_UP);
    const first = Math.floor(this.top);
    const offset = (this.top - first) * CELL;
    for (let r = 0; r < ROWS + 1; r++) {
      const y = first + r;
      const dy = Math.abs(y - at.y);
      for (let x = 0; x < WIDTH; x++) {
        const img = this.tiles[r * COLS + x]!;
        img.y = r * CELL - offset;
        if (y < 0) {
          img.setFrame(TILE_FRAME.SKY).setAlpha(1);
          continue;
        }
        const type = cellAt(s, x, y);
        img.setFrame(tileFrame(type, damageAt(s, x, y), y));
        // A loose rock shakes while it wobbles and falls.
        img.x = x * CELL + (type === Cell.FALLING ? Math.round(Math.sin(this.simTime / 25 + x) * 2) : 0);
        // The lamp: cells far from the prospector fade into the dark (the surface stays lit).
        const d = Math.max(dy, Math.abs(x - at.x) * 0.6);
        img.setAlpha(y <= 1 ? 1 : d <= 4 ? 1 : Math.max(0.35, 1 - (d - 4) * 0.12));
      }
    }
    const now = this.simTime;
    const frame =
      now < this.hurtUntil
        ? MINER_FRAME.HURT
        : now < this.digUntil
          ? Math.floor(now / 100) % 2 === 0
            ? MINER_FRAME.DIG_UP
            : MINER_FRAME.DIG_DOWN
          : this.walkFrame;
    this.miner.setFrame(frame).setFlipX(this.facingLeft);
    this.miner.setPosition(at.x * CELL, this.rowY(at.y));
    this.glow.clear();
    if (s.surge > 1) {
      const pulse = 4 + 3 * Math.sin(now / 80);
      this.glow.lineStyle(3, SURGE_COLORS[s.surge] ?? 0xffffff, 0.8);
      this.glow.strokeCircle(at.x * CELL + CELL / 2, this.rowY(at.y) + CELL / 2, CELL * 0.6 + pulse * s.surge * 0.5);
    }
  }
}

/** The cell an action aims at. */
function targetOf(r: TickReport): { x: number; y: number } {
  const x = r.fromX + (r.action === Action.LEFT ? -1 : r.action === Action.RIGHT ? 1 : 0);
  const y = r.fromY + (r.action === Action.UP ? -1 : r.action === Action.DOWN ? 1 : 0);
  return { x, y };
}
