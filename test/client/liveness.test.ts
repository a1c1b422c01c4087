/**
 * The Network panel's liveness verdict (game/client/src/chain/network.ts): /healthz first where the page has matched
 * it to the worker, the chain's attestations otherwise; a bonded worker that neither answers nor attests is offline.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address, Hex } from "viem";
import { livenessOf, type HealthAnswer } from "../../game/client/src/chain/liveness.js";
import type { Attestation } from "../../game/client/src/chain/settlement-events.js";

const W = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as Address;
const att = (epoch: bigint, block: bigint): Attestation => ({
  epoch,
  worker: W,
  root: `0x${"ab".repeat(32)}` as Hex,
  round: 0n,
  totalGold: 1n,
  attesters: 2,
  block,
});
const health = (state: HealthAnswer["state"], downSince: bigint | null = null): HealthAnswer => ({
  url: "http://127.0.0.1:9102",
  state,
  worker: W,
  downSince,
});

describe("Network panel: a worker's liveness", () => {
  it("is online while /healthz answers ok, unhealthy while it answers 503", () => {
    assert.equal(livenessOf({ health: health("ok"), last: undefined, newest: undefined, head: 100n }).liveness, "online");
    assert.equal(livenessOf({ health: health("unhealthy"), last: att(3n, 50n), newest: att(3n, 50n), head: 100n }).liveness, "unhealthy");
  });

  it("is offline once /healthz stops answering, even if it attested just before", () => {
    const v = livenessOf({ health: health("down", 98n), last: att(19n, 97n), newest: att(19n, 97n), head: 100n });
    assert.equal(v.liveness, "offline");
    assert.match(v.why, /since block 98/);
  });

  it("is attesting if it attested after its /healthz stopped answering this page", () => {
    assert.equal(livenessOf({ health: health("down", 90n), last: att(19n, 97n), newest: att(19n, 97n), head: 100n }).liveness, "attesting");
  });

  it("without a /healthz, is offline when it missed an epoch the others attested a while ago", () => {
    const missed = { health: undefined, last: att(10n, 55n), newest: att(12n, 70n) };
    assert.equal(livenessOf({ ...missed, head: 72n }).liveness, "attesting", "within the grace: it may still attest");
    assert.equal(livenessOf({ ...missed, head: 80n }).liveness, "offline");
    assert.equal(livenessOf({ health: undefined, last: undefined, newest: att(12n, 70n), head: 80n }).liveness, "offline");
    assert.equal(livenessOf({ health: undefined, last: att(12n, 71n), newest: att(12n, 71n), head: 200n }).liveness, "attesting");
    assert.equal(livenessOf({ health: undefined, last: undefined, newest: undefined, head: 80n }).liveness, "unknown");
  });
});
