import Phaser from "phaser";
import { NUGGET_VALUE, ORE_VALUE, BIG_NUGGET_VALUE, GEM_VALUE } from "../../../sim/index.js";
import { useGame } from "../store.js";
import { CELL, FONT, SCALE, TILE_FRAME, VIEW_H, VIEW_W } from "./art.js";
import type { GameContext } from "./context.js";

/** The run's title card: mode, seed, what treasure is worth. Enter, Space or a tap starts the run. */
export class MenuScene extends Phaser.Scene {
  constructor(private readonly ctx: GameContext) {
    super("Menu");
  }

  create(): void {
    const { spec } = this.ctx.controller;
    // Straight back to the mine, paused where it stood, with no title card: a ranked run resumed after a reload
    // (ranked-keep.ts), or any run when the player comes back to the Play tab mid-run (the game was unmounted).
    if (spec.resumed || this.ctx.controller.state.tick > 0 || this.ctx.controller.over) {
      if (!this.ctx.controller.over) this.ctx.controller.paused = true;
      this.scene.start("Play");
      return;
    }
    useGame.getState().setPhase("ready");
    this.add
      .text(VIEW_W / 2, 90, "SURGE GOLD", { font: "bold 44px monospace", color: "#ffd84a", stroke: "#7a5200", strokeThickness: 6 })
      .setOrigin(0.5);
    this.add
      .text(VIEW_W / 2, 140, spec.mode === "ranked" ? `Ranked run #${shortId(spec.runId)}` : "Practice run", {
        ...FONT,
        color: "#ffe9a8",
      })
      .setOrigin(0.5);
    this.add.text(VIEW_W / 2, 164, seedWords(spec.seed), { font: "13px monospace", color: "#a89a8a" }).setOrigin(0.5);
    const legend: [number, string][] = [
      [TILE_FRAME.NUGGET, `nugget ${NUGGET_VALUE}`],
      [TILE_FRAME.ORE, `ore ${ORE_VALUE}`],
      [TILE_FRAME.BIG_NUGGET, `big nugget ${BIG_NUGGET_VALUE}`],
      [TILE_FRAME.GEM, `gem ${GEM_VALUE}`],
      [TILE_FRAME.CANTEEN, "canteen: energy"],
      [TILE_FRAME.GAS, "gas: costs a life"],
      [TILE_FRAME.BOULDER, "boulder: falls if undermined"],
    ];
    legend.forEach(([frame, label], i) => {
      const y = 210 + i * (CELL + 6);
      this.add.image(VIEW_W / 2 - 120, y, "tiles", frame).setScale(SCALE).setOrigin(0, 0.5);
      this.add.text(VIEW_W / 2 - 76, y, label, { font: "15px monospace", color: "#f0e6d8" }).setOrigin(0, 0.5);
    });
    this.add
      .text(VIEW_W / 2, VIEW_H - 92, "Chain pickups fast to raise the SURGE multiplier (x4)", {
        font: "14px monospace",
        color: "#ff9a2a",
      })
      .setOrigin(0.5);
    const start = this.add
      .text(VIEW_W / 2, VIEW_H - 56, "Press ENTER or tap to dig in", { ...FONT, color: "#ffffff" })
      .setOrigin(0.5);
    this.tweens.add({ targets: start, alpha: 0.3, duration: 600, yoyo: true, repeat: -1 });
    const go = () => this.scene.start("Play");
    const onKey = (e: KeyboardEvent) => {
      if (e.code === "Enter" || e.code === "Space" || e.code === "NumpadEnter") {
        e.preventDefault();
        go();
      }
    };
    window.addEventListener("keydown", onKey);
    this.input.once("pointerdown", go);
    const cleanup = () => window.removeEventListener("keydown", onKey);
    this.events.once("shutdown", cleanup);
    this.events.once("destroy", cleanup);
  }
}

/** The seed without its leading zeros (ranked seeds are 64-bit numbers in 32 bytes); none yet: the mine is being drawn. */
function seedWords(seed: string | undefined): string {
  const digits = (seed ?? "").replace(/^0x/, "").replace(/^0+/, "");
  return digits === "" ? "drawing your mine…" : `mine ${digits.length > 16 ? `${digits.slice(0, 16)}…` : digits}`;
}

function shortId(id: bigint | undefined): string {
  if (id === undefined) return "?";
  return (id & 0xffffffffn).toString();
}
