/**
 * BLS12-381 for the worker network, as `contracts/libraries/BLS.sol` and `WorkerRegistry` check it: public keys in
 * G1 (128 bytes, EIP-2537 encoding), signatures in G2 (256 bytes), messages hashed to G2 per RFC 9380 with our own
 * domain separation tags. One home for every format a worker, an aggregator and the tests must agree on:
 * - a worker's secret key, derived from its ECDSA key by default (`deriveBlsSecretKey`), so that one key file runs a
 *   worker; any other 1 <= sk < r can be given instead;
 * - the proof of possession (PoP) signed at registration over `abi.encodePacked(chainId, registry, worker, pk)`;
 * - the attestation digest, `RewardSettlement.attestationDigest`, signed with the attestation tag;
 * - aggregation of signatures and of public keys, and the sorted non-signer list with its hash.
 */
import { bls12_381 as bls } from "@noble/curves/bls12-381";
import {
  type Address,
  type Hex,
  bytesToHex,
  concat,
  encodeAbiParameters,
  encodePacked,
  hexToBigInt,
  hexToBytes,
  keccak256,
  numberToHex,
  sha256,
  stringToHex,
} from "viem";

/** Tag of attestation signatures (`WorkerRegistry.ATTESTATION_DST`). */
export const ATTESTATION_DST = "SURGE-GOLD-V1_BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
/** Tag of proofs of possession (`WorkerRegistry.POP_DST`): a PoP is never an attestation signature. */
export const POP_DST = "SURGE-GOLD-V1_BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
/** Tag of the key derivation from a worker's ECDSA key: the BLS key is not the ECDSA key, and no other use of the
 * ECDSA key gives it. */
export const KEYGEN_DST = "SURGE-GOLD-V1_BLS_KEYGEN_FROM_ECDSA";

type G1 = InstanceType<typeof bls.G1.ProjectivePoint>;
type G2 = InstanceType<typeof bls.G2.ProjectivePoint>;

/** The order of G1 and G2: a secret key is in [1, r). */
export const CURVE_ORDER: bigint = bls.params.r;

export type BlsKey = {
  secretKey: bigint;
  /** G1, 128 bytes (EIP-2537), as `WorkerRegistry.register` takes it. */
  publicKey: Hex;
};

/**
 * The BLS secret key of the worker with ECDSA key `ecdsaKey`: two SHA-256 blocks of (tag, key, counter), 64 bytes
 * read as an integer mod (r - 1), plus 1 (bias below 2^-250). Deterministic, so a restarted worker signs with the same
 * key it registered.
 */
export function deriveBlsSecretKey(ecdsaKey: Hex): bigint {
  const tag = stringToHex(KEYGEN_DST);
  const wide = concat([sha256(concat([tag, ecdsaKey, "0x01"])), sha256(concat([tag, ecdsaKey, "0x02"]))]);
  return (hexToBigInt(wide) % (CURVE_ORDER - 1n)) + 1n;
}

/** The key pair of secret key `secretKey` (1 <= sk < r). */
export function blsKey(secretKey: bigint): BlsKey {
  if (secretKey <= 0n || secretKey >= CURVE_ORDER) throw new Error("a BLS secret key is in [1, r)");
  return { secretKey, publicKey: encodeG1(bls.G1.ProjectivePoint.BASE.multiply(secretKey)) };
}

// ---------------------------------------------------------------- encodings (EIP-2537)

function fp(x: bigint): Hex {
  return numberToHex(x, { size: 64 });
}

/** A G1 point as 128 bytes: x | y, each 64 bytes; infinity is all zeros. */
export function encodeG1(p: G1): Hex {
  if (p.equals(bls.G1.ProjectivePoint.ZERO)) return bytesToHex(new Uint8Array(128));
  const { x, y } = p.toAffine();
  return concat([fp(x), fp(y)]);
}

/** A G2 point as 256 bytes: x.c0 | x.c1 | y.c0 | y.c1; infinity is all zeros. */
export function encodeG2(p: G2): Hex {
  if (p.equals(bls.G2.ProjectivePoint.ZERO)) return bytesToHex(new Uint8Array(256));
  const { x, y } = p.toAffine();
  return concat([fp(x.c0), fp(x.c1), fp(y.c0), fp(y.c1)]);
}

function words(hex: Hex, bytes: number): bigint[] {
  const b = hexToBytes(hex);
  if (b.length !== bytes) throw new Error(`expected ${bytes} bytes, got ${b.length}`);
  const out: bigint[] = [];
  for (let i = 0; i < bytes; i += 64) out.push(hexToBigInt(bytesToHex(b.subarray(i, i + 64))));
  return out;
}

/** Decodes 128 bytes to a G1 point (checked on the curve and in the subgroup). */
export function decodeG1(hex: Hex): G1 {
  const [x, y] = words(hex, 128) as [bigint, bigint];
  if (x === 0n && y === 0n) return bls.G1.ProjectivePoint.ZERO;
  const p = bls.G1.ProjectivePoint.fromAffine({ x, y });
  p.assertValidity();
  return p;
}

/** Decodes 256 bytes to a G2 point (checked on the curve and in the subgroup). */
export function decodeG2(hex: Hex): G2 {
  const [x0, x1, y0, y1] = words(hex, 256) as [bigint, bigint, bigint, bigint];
  if (x0 === 0n && x1 === 0n && y0 === 0n && y1 === 0n) return bls.G2.ProjectivePoint.ZERO;
  const { Fp2 } = bls.fields;
  const p = bls.G2.ProjectivePoint.fromAffine({ x: Fp2.create({ c0: x0, c1: x1 }), y: Fp2.create({ c0: y0, c1: y1 }) });
  p.assertValidity();
  return p;
}

// ---------------------------------------------------------------- messages

/** hash_to_curve(message) in G2 with tag `dst` (RFC 9380, BLS12381G2_XMD:SHA-256_SSWU_RO_), as `BLS.hashToG2`. */
export function hashToG2(message: Hex, dst: string): G2 {
  return bls.G2.hashToCurve(hexToBytes(message), { DST: dst }) as G2;
}

/** The message a PoP signs: `abi.encodePacked(chainId, registry, worker, publicKey)`. */
export function popMessage(chainId: bigint | number, registry: Address, worker: Address, publicKey: Hex): Hex {
  return encodePacked(["uint256", "address", "address", "bytes"], [BigInt(chainId), registry, worker, publicKey]);
}

export type AttestationFields = {
  chainId: bigint | number;
  settlement: Address;
  epoch: bigint;
  round: bigint;
  root: Hex;
  runCount: bigint;
  totalGold: bigint;
};

/** `RewardSettlement.attestationDigest`: keccak256(abi.encode(chainid, settlement, epoch, round, root, runCount,
 * totalGold)). Its 32 bytes are what workers sign. */
export function attestationDigest(a: AttestationFields): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "uint256" }, { type: "address" }, { type: "uint256" }, { type: "uint256" }, { type: "bytes32" }, { type: "uint256" }, { type: "uint256" }],
      [BigInt(a.chainId), a.settlement, a.epoch, a.round, a.root, a.runCount, a.totalGold],
    ),
  );
}

// ---------------------------------------------------------------- signing, aggregating, verifying

/** Signs the bytes `message` with tag `dst`: sk * H(message), 256 bytes. */
export function sign(secretKey: bigint, message: Hex, dst: string = ATTESTATION_DST): Hex {
  return encodeG2(hashToG2(message, dst).multiply(secretKey));
}

/** The proof of possession of `key` for `worker` at `registry` on `chainId`. */
export function signPop(key: BlsKey, chainId: bigint | number, registry: Address, worker: Address): Hex {
  return sign(key.secretKey, popMessage(chainId, registry, worker, key.publicKey), POP_DST);
}

/** An attestation signature: the digest's 32 bytes signed with the attestation tag. */
export function signAttestation(secretKey: bigint, digest: Hex): Hex {
  return sign(secretKey, digest, ATTESTATION_DST);
}

/** The sum of G2 signatures (256 bytes each): one signature of everyone's message. */
export function aggregateSignatures(signatures: readonly Hex[]): Hex {
  let sum = bls.G2.ProjectivePoint.ZERO;
  for (const s of signatures) sum = sum.add(decodeG2(s));
  return encodeG2(sum);
}

/** The sum of G1 public keys (128 bytes each). */
export function aggregatePublicKeys(publicKeys: readonly Hex[]): Hex {
  let sum = bls.G1.ProjectivePoint.ZERO;
  for (const k of publicKeys) sum = sum.add(decodeG1(k));
  return encodeG1(sum);
}

/** Whether `signature` signs `message` (tag `dst`) under `publicKey` (possibly an aggregate): e(pk, H(m)) = e(g1, sig). */
export function verify(publicKey: Hex, message: Hex, signature: Hex, dst: string = ATTESTATION_DST): boolean {
  try {
    const pk = decodeG1(publicKey);
    const sig = decodeG2(signature);
    if (pk.equals(bls.G1.ProjectivePoint.ZERO)) return false;
    return bls.verify(sig, hashToG2(message, dst), pk);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- non-signers

/** The non-signers of an attestation: the eligible indices that did not sign, strictly increasing. */
export function nonSignersOf(eligible: readonly bigint[], signed: ReadonlySet<bigint>): bigint[] {
  return [...eligible].filter((i) => !signed.has(i)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `SignerSet.hash`: keccak256 of the packed uint256 list. */
export function nonSignersHash(nonSigners: readonly bigint[]): Hex {
  return keccak256(encodePacked(["uint256[]"], [[...nonSigners]]));
}
