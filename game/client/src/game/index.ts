/**
 * The Phaser side of the client, loaded with a dynamic `import()` when the player starts a game, so Phaser is a
 * chunk of its own and never part of the first page load. One game per run; destroyed when React unmounts it.
 */
import Phaser from "phaser";
import type { RunController } from "../run.js";
import { VIEW_H, VIEW_W } from "./art.js";
import { BootScene } from "./BootScene.js";
import type { GameContext } from "./context.js";
import { MenuScene } from "./MenuScene.js";
import { PlayScene } from "./PlayScene.js";
import { PreloaderScene } from "./PreloaderScene.js";
import { RunOverScene } from "./RunOverScene.js";

export function launchGame(parent: HTMLElement, controller: RunController): () => void {
  const ctx: GameContext = { controller };
  const game = new Phaser.Game({
    // Canvas holds 60 fps where WebGL falls to software rendering (headless browsers, old GPUs).
    type: Phaser.CANVAS,
    parent,
    width: VIEW_W,
    height: VIEW_H,
    backgroundColor: "#0b0710",
    pixelArt: true,
    banner: false,
    audio: { noAudio: true },
    scale: { mode: Phaser.Scale.FIT, autoCenter: Phaser.Scale.CENTER_BOTH },
    fps: { target: 60 },
    scene: [new BootScene(), new PreloaderScene(), new MenuScene(ctx), new PlayScene(ctx), new RunOverScene(ctx)],
  });
  return () => game.destroy(true);
}
