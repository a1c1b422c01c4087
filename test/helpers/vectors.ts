/** Loads the shared test vectors (test/vectors/sim-vectors.json, written by `npm run vectors`). */
import { readFileSync } from "node:fs";
import { hexToBytes, type InputErrorCode, type RunResult } from "../../game/sim/index.js";

export interface AcceptVector extends RunResult {
  name: string;
  seed: `0x${string}`;
  inputs: `0x${string}`;
}
export interface RejectVector {
  name: string;
  seed: `0x${string}`;
  inputs: `0x${string}`;
  error: InputErrorCode;
  offset: number;
}

export function loadVectors(): { accept: AcceptVector[]; reject: RejectVector[] } {
  const file = new URL("../vectors/sim-vectors.json", import.meta.url);
  const v = JSON.parse(readFileSync(file, "utf8")) as { accept: AcceptVector[]; reject: RejectVector[] };
  return { accept: v.accept, reject: v.reject };
}

export const inputBytes = (v: { inputs: `0x${string}` }): Uint8Array => hexToBytes(v.inputs);
