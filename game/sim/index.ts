/** The deterministic core of Surge Gold. Imports nothing from outside `game/sim`. */
export * from "./constants.js";
export * from "./hash.js";
export * from "./world.js";
export * from "./codec.js";
export * from "./engine.js";
