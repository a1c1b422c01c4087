/**
 * BLS12-381 across the two implementations: contracts/libraries/BLS.sol (EIP-2537 precompiles) and game/chain/bls.ts
 * (@noble/curves). Hash to G2 (RFC 9380), signatures, proofs of possession and aggregates must agree byte for byte,
 * and every wrong key, message, tag or signature must fail on both sides.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { bls12_381 } from "@noble/curves/bls12-381";
import { keccak256, stringToHex, toHex, type Hex } from "viem";
import { network } from "hardhat";
import {
  ATTESTATION_DST,
  POP_DST,
  aggregatePublicKeys,
  aggregateSignatures,
  blsKey,
  deriveBlsSecretKey,
  encodeG2,
  hashToG2,
  nonSignersHash,
  sign,
  verify,
} from "../../game/chain/bls.js";

const { viem } = await network.connect();

/** Deterministic "random" keys: a test that fails names the key that failed. */
const keys = Array.from({ length: 6 }, (_, i) => blsKey(deriveBlsSecretKey(keccak256(toHex(`bls test key ${i}`)))));

describe("BLS12-381: Solidity (EIP-2537) and TypeScript (noble) agree", () => {
  let h: Awaited<ReturnType<typeof viem.deployContract<"BLSHarness">>>;
  before(async () => {
    h = await viem.deployContract("BLSHarness");
  });

  it("every precompile the library uses answers on the in-process chain", async () => {
    const g1 = keys[0]!.publicKey;
    const g2 = sign(keys[0]!.secretKey, "0x01") as string;
    const fp = `0x${"00".repeat(63)}01` as Hex;
    const cases: [Hex, Hex, number][] = [
      ["0x000000000000000000000000000000000000000b", `${g1}${g1.slice(2)}` as Hex, 128], // G1ADD
      ["0x000000000000000000000000000000000000000d", `${g2}${g2.slice(2)}` as Hex, 256], // G2ADD
      ["0x000000000000000000000000000000000000000f", `${g1}${g2.slice(2)}` as Hex, 32], // PAIRING_CHECK
      ["0x0000000000000000000000000000000000000011", `${fp}${fp.slice(2)}` as Hex, 256], // MAP_FP2_TO_G2
    ];
    for (const [address, input, length] of cases) {
      const [ok, out] = await h.read.probe([address, input]);
      assert.equal(ok, true, `precompile ${address}`);
      assert.equal(out, BigInt(length), `precompile ${address} output`);
    }
  });

  it("expand_message_xmd matches RFC 9380's vector (K.1, SHA-256, msg '', 32 bytes)", async () => {
    const out = await h.read.expandMessageXmd(["0x", stringToHex("QUUX-V01-CS02-with-expander-SHA256-128"), 32n]);
    assert.equal(out, "0x68a985b87eb6b46952128911f2a4412bbc302a9d759667f87f7a21d803f07235");
  });

  it("hash to G2 matches noble's RFC 9380 hash_to_curve, for the attestation and PoP tags", async () => {
    for (const dst of [ATTESTATION_DST, POP_DST, "QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_"]) {
      for (const message of ["0x", "0x61626364", keccak256("0x01"), toHex(new Uint8Array(300).fill(7))] as Hex[]) {
        assert.equal(await h.read.hashToG2([message, stringToHex(dst)]), encodeG2(hashToG2(message, dst)), `${dst} ${message}`);
      }
    }
  });

  it("matches the RFC 9380 test vector (J.10.1, msg 'abc')", async () => {
    const dst = "QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_";
    const p = bls12_381.G2.hashToCurve(new TextEncoder().encode("abc"), { DST: dst }).toAffine();
    // P.x = 0x02c2d18e...a7ad + I * 0x139cddbc...b5e8, from the RFC's appendix.
    assert.equal(p.x.c0.toString(16).slice(0, 8), "2c2d18e0");
    assert.equal(p.x.c1.toString(16).slice(0, 8), "139cddbc");
    const onChain = await h.read.hashToG2([stringToHex("abc"), stringToHex(dst)]);
    assert.equal(onChain, encodeG2(bls12_381.G2.hashToCurve(new TextEncoder().encode("abc"), { DST: dst }) as never));
  });

  it("a signature made with noble verifies on-chain; a wrong key, message, tag or signature does not", async () => {
    const message = keccak256(stringToHex("epoch 7, round 0, root …"));
    for (const [i, k] of keys.entries()) {
      const sig = sign(k.secretKey, message, ATTESTATION_DST);
      assert.equal(verify(k.publicKey, message, sig), true, `noble, key ${i}`);
      assert.equal(await h.read.verify([k.publicKey, message, stringToHex(ATTESTATION_DST), sig]), true, `chain, key ${i}`);
      const other = keys[(i + 1) % keys.length]!;
      assert.equal(await h.read.verify([other.publicKey, message, stringToHex(ATTESTATION_DST), sig]), false, "wrong key");
      assert.equal(await h.read.verify([k.publicKey, keccak256(message), stringToHex(ATTESTATION_DST), sig]), false, "wrong message");
      assert.equal(await h.read.verify([k.publicKey, message, stringToHex(POP_DST), sig]), false, "a signature is not a PoP");
      const wrong = sign(k.secretKey + 1n, message, ATTESTATION_DST);
      assert.equal(await h.read.verify([k.publicKey, message, stringToHex(ATTESTATION_DST), wrong]), false, "wrong signature");
      assert.equal(verify(other.publicKey, message, sig), false, "noble: wrong key");
    }
  });

  it("aggregates: the sum of signatures verifies under the sum of keys, and subtracting a key on-chain matches noble", async () => {
    const message = keccak256(stringToHex("aggregate"));
    const sigs = keys.map((k) => sign(k.secretKey, message));
    const apk = aggregatePublicKeys(keys.map((k) => k.publicKey));
    const agg = aggregateSignatures(sigs);
    assert.equal(await h.read.verify([apk, message, stringToHex(ATTESTATION_DST), agg]), true);
    // Leave out key 2: apk - pk2 (on-chain) verifies the aggregate of the others.
    const rest = await h.read.sub([apk, keys[2]!.publicKey]);
    assert.equal(rest, aggregatePublicKeys(keys.filter((_, i) => i !== 2).map((k) => k.publicKey)));
    const aggRest = aggregateSignatures(sigs.filter((_, i) => i !== 2));
    assert.equal(await h.read.verify([rest, message, stringToHex(ATTESTATION_DST), aggRest]), true);
    assert.equal(await h.read.verify([rest, message, stringToHex(ATTESTATION_DST), agg]), false, "the full aggregate is not the rest's");
    assert.equal(await h.read.verify([apk, message, stringToHex(ATTESTATION_DST), aggRest]), false, "a missing signer fails the full key");
    // pk - pk is the point at infinity, which verifies nothing (not even the signature at infinity).
    const zero = await h.read.sub([keys[0]!.publicKey, keys[0]!.publicKey]);
    assert.equal(zero, `0x${"00".repeat(128)}`);
    assert.equal(await h.read.verify([zero, message, stringToHex(ATTESTATION_DST), `0x${"00".repeat(256)}`]), false);
    const [gas] = await h.read.verifyGas([apk, message, stringToHex(ATTESTATION_DST), agg]);
    assert.ok(gas < 250_000n, `one verification costs ${gas} gas`);
  });

  it("keys derive deterministically from the ECDSA key and differ between keys; the non-signer hash is SignerSet's", () => {
    const a = deriveBlsSecretKey(keccak256("0x01"));
    assert.equal(a, deriveBlsSecretKey(keccak256("0x01")));
    assert.notEqual(a, deriveBlsSecretKey(keccak256("0x02")));
    assert.equal(nonSignersHash([]), keccak256("0x"));
    assert.equal(nonSignersHash([1n, 5n]), keccak256(`0x${1n.toString(16).padStart(64, "0")}${5n.toString(16).padStart(64, "0")}`));
  });
});
