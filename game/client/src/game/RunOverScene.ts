import Phaser from "phaser";
import { FONT, VIEW_H, VIEW_W } from "./art.js";
import type { GameContext } from "./context.js";

/** Drawn over the frozen mine when the run ends: why, and the gold. React shows the next steps. */
export class RunOverScene extends Phaser.Scene {
  constructor(private readonly ctx: GameContext) {
    super("RunOver");
  }

  create(): void {
    const c = this.ctx.controller;
    const r = c.result();
    this.add.rectangle(0, 0, VIEW_W, VIEW_H, 0x000000, 0.55).setOrigin(0);
    this.add.text(VIEW_W / 2, VIEW_H / 2 - 60, c.endReason().toUpperCase(), { font: "bold 30px monospace", color: "#ffffff" }).setOrigin(0.5);
    const gold = this.add
      .text(VIEW_W / 2, VIEW_H / 2, `${r.gold} gold`, { font: "bold 40px monospace", color: "#ffd84a", stroke: "#7a5200", strokeThickness: 6 })
      .setOrigin(0.5);
    this.tweens.add({ targets: gold, scale: 1.15, duration: 300, yoyo: true, repeat: 2 });
    this.add
      .text(VIEW_W / 2, VIEW_H / 2 + 50, `depth ${r.maxDepth}   ${(r.ticks / 20).toFixed(1)} s`, { ...FONT, color: "#f0e6d8" })
      .setOrigin(0.5);
  }
}
