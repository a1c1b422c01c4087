import Phaser from "phaser";

/** First scene: nothing to load yet; sets the background and hands over to the Preloader. */
export class BootScene extends Phaser.Scene {
  constructor() {
    super("Boot");
  }

  create(): void {
    this.cameras.main.setBackgroundColor("#0b0710");
    this.scene.start("Preloader");
  }
}
