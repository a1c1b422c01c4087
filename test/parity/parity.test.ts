/**
 * TypeScript and Solidity, checked against each other: every shared vector on-chain, then a differential
 * campaign of random, scripted, agent-played, hazard-seeking and malformed runs (SURGE_PARITY_RUNS, default 2,000;
 * more with `npm run test:parity -- --runs N`). Hazard runs aim at two events in one tick (two hits, a hit and a
 * pickup, a hit on the last life, a hit on the last tick of the inputs), where the order of the rules shows.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { network } from "hardhat";
import type { Address, PublicClient } from "viem";
import { replayOnchain } from "../../game/chain/rules.js";
import { Action, advance, createState, EndReason, Event, INPUT_HEADER_BYTES } from "../../game/sim/index.js";
import { checkParity } from "../helpers/parity.js";
import { profileRun } from "../helpers/profile.js";
import { campaignRun, HAZARD_KINDS, RUN_KINDS } from "../helpers/runs.js";
import { inputBytes, loadVectors } from "../helpers/vectors.js";

const RUNS = Number(process.env.SURGE_PARITY_RUNS ?? 2000);

describe("parity: TypeScript vs SurgeRules", () => {
  let client: PublicClient;
  let replayer: Address;
  before(async () => {
    const { viem } = await network.create();
    replayer = (await viem.deployContract("SurgeReplayer")).address;
    client = (await viem.getPublicClient()) as unknown as PublicClient;
  });

  it("SurgeRules gives every accepted vector's expected result", async () => {
    for (const v of loadVectors().accept) {
      const out = await replayOnchain(client, replayer, v.seed, inputBytes(v));
      assert.ok(out.ok, `${v.name}: rejected on-chain: ${out.ok ? "" : out.error}`);
      assert.deepEqual(
        out.result,
        { gold: v.gold, ticks: v.ticks, maxDepth: v.maxDepth, lives: v.lives, energy: v.energy, digest: v.digest },
        v.name,
      );
    }
  });

  it("SurgeRules rejects every malformed vector with the same error", async () => {
    for (const v of loadVectors().reject) {
      const out = await replayOnchain(client, replayer, v.seed, inputBytes(v));
      assert.ok(!out.ok, `${v.name}: accepted on-chain`);
      assert.equal(out.code, v.error, v.name);
      if (out.offset !== null) assert.equal(out.offset, v.offset, `${v.name}: offset`);
    }
  });

  it(`${RUNS} random and adversarial runs give equal results and equal rejections`, async () => {
    const kinds = new Map<string, number>();
    let rejected = 0;
    let fullLength = 0;
    const mismatches: string[] = [];
    const sameTick = new Map<string, number>();
    for (let i = 0; i < RUNS; i++) {
      const run = campaignRun(1, i);
      const { ts, mismatch } = await checkParity(client, replayer, run.seed, run.inputs);
      kinds.set(run.kind, (kinds.get(run.kind) ?? 0) + 1);
      if (run.kind.startsWith("hazard")) {
        for (const k of sameTickKinds(run.seed, run.inputs)) sameTick.set(k, (sameTick.get(k) ?? 0) + 1);
      }
      if (!ts.ok) rejected++;
      else if (ts.result.ticks === 3600) fullLength++;
      if (mismatch) mismatches.push(`run ${i} (${run.kind}, seed ${run.seed}): ${mismatch}`);
    }
    assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} mismatches`);
    // The campaign must stay meaningful: every kind ran, with rejections and full-length runs among them.
    for (const k of [...RUN_KINDS, ...HAZARD_KINDS]) assert.ok((kinds.get(k) ?? 0) > 0, `kind ${k} ran`);
    // ...and it reaches two events in one tick, of each kind that can happen.
    if (RUNS >= 2000) {
      for (const k of ["gas+crush", "pickup+crush", "canteen+crush", "two hits on the last life"]) {
        assert.ok((sameTick.get(k) ?? 0) > 0, `no hazard run shows ${k}: ${JSON.stringify([...sameTick])}`);
      }
    }
    // One general run in eight is malformed, and general runs are three in four of the campaign (3/32).
    assert.ok(rejected >= RUNS / 12, `rejections: ${rejected}`);
    assert.ok(fullLength >= RUNS / 10, `full-length runs: ${fullLength}`);
  });

  it("the campaign reaches every hazard and every rule", async () => {
    let seen = 0;
    for (let i = 0; i < Math.min(RUNS, 400); i++) {
      const run = campaignRun(1, i);
      if (run.kind !== "malformed") seen |= profileRun(run.seed, run.inputs).events;
    }
    for (const [name, bit] of Object.entries(Event)) assert.ok(seen & bit, `no run shows ${name}`);
  });
});

/** Which kinds of same-tick events a run shows (each named once per run). */
function sameTickKinds(seed: string, inputs: Uint8Array): Set<string> {
  const out = new Set<string>();
  const s = createState(seed);
  for (let i = INPUT_HEADER_BYTES; i < inputs.length && s.ended === EndReason.RUNNING; i++) {
    for (let r = (inputs[i]! & 31) + 1; r > 0 && s.ended === EndReason.RUNNING; r--) {
      const lives = s.lives;
      advance(s, (inputs[i]! >>> 5) as Action);
      const e = s.events;
      if ((e & Event.CRUSH) === 0) continue;
      if (e & Event.GAS) out.add(lives === 1 ? "two hits on the last life" : "gas+crush");
      if (e & Event.PICKUP) out.add("pickup+crush");
      if (e & Event.CANTEEN) out.add("canteen+crush");
    }
  }
  return out;
}
