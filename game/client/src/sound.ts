/**
 * Sound: small effects synthesized with the Web Audio API (no audio files), driven by the `Event` flags of each tick
 * (`state.events`, game/sim/engine.ts), so the scene holds no game rules. A mute switch is remembered in
 * localStorage. Browsers' autoplay rules: no AudioContext exists before the player's first key or pointer press; the
 * first one creates (and resumes) it. Nothing plays on the landing page's attract loop.
 */
import { create } from "zustand";
import { Event } from "../../sim/index.js";
import type { TickReport } from "./run.js";

export type Effect = "dig" | "hit" | "break" | "pickup" | "surgeUp" | "surgeLost" | "gas" | "canteen" | "rockLoose" | "rockLand" | "crush" | "runOver";

const MUTE_KEY = "surge-gold.muted";

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === "1";
  } catch {
    return false;
  }
}

interface SoundStore {
  muted: boolean;
  setMuted(muted: boolean): void;
}

/** The mute switch, for React (the header's toggle) and for the player (M during a run). */
export const useSound = create<SoundStore>()((set) => ({
  muted: readMuted(),
  setMuted: (muted) => {
    try {
      localStorage.setItem(MUTE_KEY, muted ? "1" : "0");
    } catch {
      /* private mode: the switch holds for this page only */
    }
    set({ muted });
    // Muted, the context is suspended (no audio thread running for nothing); unmuted (a click), it resumes.
    if (muted) void ctx?.suspend().catch(() => {});
    else unlock();
  },
}));

export const toggleMute = () => useSound.getState().setMuted(!useSound.getState().muted);

let ctx: AudioContext | null = null;
let master: GainNode | null = null;
let noise: AudioBuffer | null = null;
const played: Partial<Record<Effect, number>> = {};

/** What `window.__surgeSound()` answers (read-only): the switch, the context's state, effects played by name. */
export function soundProbe(): { muted: boolean; contextState: AudioContextState | "none"; played: Partial<Record<Effect, number>> } {
  return { muted: useSound.getState().muted, contextState: ctx?.state ?? "none", played: { ...played } };
}

/** Creates or resumes the AudioContext: only ever called from a player's input (or the unmute click). */
function unlock(): void {
  if (useSound.getState().muted) return;
  const AC = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!AC) return;
  if (!ctx) {
    // "balanced": larger audio buffers than "interactive" (fewer wake-ups of the audio thread on a busy machine); a
    // few tens of ms of latency do not matter for these effects.
    ctx = new AC({ latencyHint: "balanced" });
    master = ctx.createGain();
    master.gain.value = 0.35;
    master.connect(ctx.destination);
    noise = ctx.createBuffer(1, ctx.sampleRate, ctx.sampleRate);
    const data = noise.getChannelData(0);
    // A fixed pseudo-random hiss (cosmetic, but the lint keeps Math.random out of game code).
    let r = 0x2545f491;
    for (let i = 0; i < data.length; i++) {
      r ^= r << 13;
      r ^= r >>> 17;
      r ^= r << 5;
      data[i] = ((r >>> 0) / 0xffffffff) * 2 - 1;
    }
  }
  if (ctx.state === "suspended") void ctx.resume().catch(() => {});
}

/** Listens for the first key or pointer press (and later ones, while the context is not running). */
export function installSoundUnlock(): void {
  const onInput = () => {
    unlock();
    if (ctx?.state === "running") {
      window.removeEventListener("keydown", onInput, true);
      window.removeEventListener("pointerdown", onInput, true);
    }
  };
  window.addEventListener("keydown", onInput, true);
  window.addEventListener("pointerdown", onInput, true);
}

function tone(type: OscillatorType, from: number, to: number, at: number, dur: number, vol: number): void {
  const o = ctx!.createOscillator();
  const g = ctx!.createGain();
  o.type = type;
  o.frequency.setValueAtTime(from, at);
  o.frequency.exponentialRampToValueAtTime(Math.max(1, to), at + dur);
  g.gain.setValueAtTime(vol, at);
  g.gain.exponentialRampToValueAtTime(0.001, at + dur);
  o.connect(g).connect(master!);
  o.start(at);
  o.stop(at + dur + 0.02);
}

function hiss(filter: BiquadFilterType, freq: number, toFreq: number, at: number, dur: number, vol: number): void {
  const src = ctx!.createBufferSource();
  src.buffer = noise;
  const f = ctx!.createBiquadFilter();
  f.type = filter;
  f.frequency.setValueAtTime(freq, at);
  f.frequency.exponentialRampToValueAtTime(Math.max(1, toFreq), at + dur);
  const g = ctx!.createGain();
  g.gain.setValueAtTime(vol, at);
  g.gain.exponentialRampToValueAtTime(0.001, at + dur);
  src.connect(f).connect(g).connect(master!);
  src.start(at, (at * 7.3) % 0.5);
  src.stop(at + dur + 0.02);
}

/** Plays one effect now; `value` is the pickup's gold (higher gold, higher pitch). */
export function play(effect: Effect, value = 0): void {
  if (useSound.getState().muted || !ctx || ctx.state !== "running" || !master) return;
  played[effect] = (played[effect] ?? 0) + 1;
  const t = ctx.currentTime + 0.005;
  switch (effect) {
    case "dig":
      hiss("lowpass", 900, 300, t, 0.09, 0.5);
      break;
    case "hit":
      tone("square", 140, 70, t, 0.08, 0.25);
      hiss("highpass", 2500, 1500, t, 0.04, 0.3);
      break;
    case "break":
      hiss("lowpass", 1800, 200, t, 0.22, 0.7);
      tone("triangle", 110, 50, t, 0.18, 0.35);
      break;
    case "pickup": {
      // 5 gold (a nugget) rings at 660 Hz; every doubling of the gold a major third higher, up to two octaves.
      const semis = Math.min(24, Math.max(0, 4 * Math.log2(Math.max(1, value) / 5)));
      const f = 660 * 2 ** (semis / 12);
      tone("triangle", f, f, t, 0.07, 0.35);
      tone("triangle", f * 1.5, f * 1.5, t + 0.06, 0.12, 0.3);
      break;
    }
    case "surgeUp":
      tone("sawtooth", 300, 1200, t, 0.25, 0.12);
      break;
    case "surgeLost":
      tone("sawtooth", 700, 180, t, 0.35, 0.1);
      break;
    case "gas":
      hiss("bandpass", 400, 3000, t, 0.6, 0.6);
      tone("sine", 90, 60, t, 0.4, 0.3);
      break;
    case "canteen":
      tone("sine", 300, 600, t, 0.1, 0.3);
      tone("sine", 400, 800, t + 0.08, 0.1, 0.25);
      break;
    case "rockLoose":
      tone("square", 60, 55, t, 0.3, 0.08);
      break;
    case "rockLand":
      tone("sine", 90, 40, t, 0.25, 0.6);
      hiss("lowpass", 600, 100, t, 0.2, 0.4);
      break;
    case "crush":
      tone("square", 120, 30, t, 0.45, 0.35);
      hiss("lowpass", 1500, 80, t, 0.5, 0.8);
      break;
    case "runOver":
      [523, 392, 330, 262].forEach((f, k) => tone("triangle", f, f, t + k * 0.14, 0.16, 0.3));
      break;
  }
}

/**
 * The sounds of one tick, from its `Event` flags alone (and the surge the tick left, to hear it rise). `prevSurge` is
 * the multiplier before the tick.
 */
export function playTick(r: TickReport, prevSurge: number): void {
  const e = r.events;
  if (e & Event.CRUSH) play("crush");
  else if (e & Event.ROCK_LAND) play("rockLand");
  if (e & Event.GAS) play("gas");
  else if (e & Event.PICKUP) {
    play("pickup", r.gain);
    if (r.surge > prevSurge) play("surgeUp");
  } else if (e & Event.CANTEEN) play("canteen");
  else if (e & Event.DIG) play("dig");
  if (e & Event.BREAK) play("break");
  else if (e & Event.HIT) play("hit");
  if (e & Event.ROCK_LOOSE) play("rockLoose");
  if (e & Event.SURGE_LOST) play("surgeLost");
}
