/**
 * TypeScript and Solidity, checked against each other: every shared vector on-chain, then a differential
 * campaign of random, scripted, agent-played and malformed runs (SURGE_PARITY_RUNS, default 2,000; more with
 * `npm run test:parity -- --runs N`).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { network } from "hardhat";
import type { Address, PublicClient } from "viem";
import { replayOnchain } from "../../game/chain/rules.js";
import { Event } from "../../game/sim/index.js";
import { checkParity } from "../helpers/parity.js";
import { profileRun } from "../helpers/profile.js";
import { generateRun, RUN_KINDS } from "../helpers/runs.js";
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
    for (let i = 0; i < RUNS; i++) {
      const run = generateRun(1, i);
      const { ts, mismatch } = await checkParity(client, replayer, run.seed, run.inputs);
      kinds.set(run.kind, (kinds.get(run.kind) ?? 0) + 1);
      if (!ts.ok) rejected++;
      else if (ts.result.ticks === 3600) fullLength++;
      if (mismatch) mismatches.push(`run ${i} (${run.kind}, seed ${run.seed}): ${mismatch}`);
    }
    assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} mismatches`);
    // The campaign must stay meaningful: every kind ran, with rejections and full-length runs among them.
    for (const k of RUN_KINDS) assert.ok((kinds.get(k) ?? 0) > 0, `kind ${k} ran`);
    assert.ok(rejected >= RUNS / 10, `rejections: ${rejected}`);
    assert.ok(fullLength >= RUNS / 10, `full-length runs: ${fullLength}`);
  });

  it("the campaign reaches every hazard and every rule", async () => {
    let seen = 0;
    for (let i = 0; i < Math.min(RUNS, 400); i++) {
      const run = generateRun(1, i);
      if (run.kind !== "malformed") seen |= profileRun(run.seed, run.inputs).events;
    }
    for (const [name, bit] of Object.entries(Event)) assert.ok(seen & bit, `no run shows ${name}`);
  });
});
