import Phaser from "phaser";
import { useGame } from "../store.js";
import { TILE_PX, VIEW_H, VIEW_W } from "./art.js";

/** Loads the sprite sheets from public/assets with a progress bar, then shows the Menu. */
export class PreloaderScene extends Phaser.Scene {
  constructor() {
    super("Preloader");
  }

  preload(): void {
    const w = VIEW_W * 0.6;
    const x = (VIEW_W - w) / 2;
    const y = VIEW_H / 2;
    this.add.rectangle(x, y, w, 18).setOrigin(0, 0.5).setStrokeStyle(2, 0xffd84a);
    const bar = this.add.rectangle(x + 3, y, 0, 12, 0xffd84a).setOrigin(0, 0.5);
    this.add.text(VIEW_W / 2, y - 30, "Loading the mine…", { font: "16px monospace", color: "#ffe9a8" }).setOrigin(0.5);
    this.load.on("progress", (p: number) => {
      bar.width = (w - 6) * p;
      useGame.getState().setLoad(p);
    });
    this.load.on("loaderror", (file: Phaser.Loader.File) => {
      useGame.getState().setLoadError(`could not load ${file.src}: is the server serving public/assets?`);
    });
    const frame = { frameWidth: TILE_PX, frameHeight: TILE_PX };
    this.load.spritesheet("tiles", "assets/tiles.png", frame);
    this.load.spritesheet("miner", "assets/miner.png", frame);
    this.load.spritesheet("particles", "assets/particles.png", { frameWidth: 8, frameHeight: 8 });
  }

  create(): void {
    useGame.getState().setLoad(1);
    this.scene.start("Menu");
  }
}
