/**
 * A large worker network on the in-process chain, for test/settlement/Scale1000.test.ts and the settlement bench:
 * `registerWorkers` funds and registers `n` impersonated workers, each with its own BLS key and proof of possession,
 * many per block; `aggregateSignature` signs one attestation digest by a set of them.
 *
 * Speed, without changing what the chain checks: the keys are 64-bit scalars (noble multiplies G2 points in ~5 ms
 * instead of ~30 ms: 1,000 PoPs take seconds, not a minute; the registry's pairing checks a 64-bit key exactly as any
 * other), and the aggregate of one message's signatures is computed as (sum of keys) * H(m), which is, by linearity,
 * the same point as the sum of the individual signatures (checked against game/chain/bls.ts's aggregation in the test).
 */
import { bls12_381 as bls } from "@noble/curves/bls12-381";
import { getAddress, keccak256, toHex, type Address, type Hash, type Hex, type PublicClient } from "viem";
import { ATTESTATION_DST, CURVE_ORDER, POP_DST, encodeG1, encodeG2, hashToG2, popMessage } from "../../game/chain/bls.js";

export interface NetWorker {
  address: Address;
  secretKey: bigint;
  publicKey: Hex;
  /** Its signer index (set once registered: a block orders its registrations as it likes). */
  index?: bigint;
}

/** What `registerWorkers` needs of the chain and the contracts (the test fixture's or the bench's). */
export interface Network {
  publicClient: PublicClient;
  networkHelpers: {
    impersonateAccount(a: string): Promise<void>;
    setBalance(a: string, v: bigint): Promise<void>;
    mine(blocks?: number | bigint): Promise<void>;
  };
  testClient: { setAutomine(on: boolean): Promise<void> };
  vault: {
    address: Address;
    read: { previewMint(args: readonly [bigint]): Promise<bigint> };
    write: {
      depositETH(args: readonly [Address, bigint], o: { account: Address; value: bigint; gas: bigint; nonce: number } & typeof FEES): Promise<Hash>;
      approve(args: readonly [Address, bigint], o: { account: Address; gas: bigint; nonce: number } & typeof FEES): Promise<Hash>;
    };
  };
  workers: {
    address: Address;
    read: { workerOf(args: readonly [Address]): Promise<{ index: number }> };
    write: { register(args: readonly [bigint, Hex, Hex], o: { account: Address; gas: bigint; nonce: number } & typeof FEES): Promise<Hash> };
  };
}

/** Fixed fees: viem then sends each transaction without asking the node for them first. */
const FEES = { maxFeePerGas: 100n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n };

/** The `i`-th worker of family `seed`: its address and a 64-bit key. */
export function netWorker(seed: number, i: number): NetWorker {
  const address = getAddress(`0x${(BigInt(seed) * 2n ** 32n + BigInt(i)).toString(16).padStart(40, "0")}`);
  const secretKey = (BigInt(keccak256(toHex(`${seed}:${i}`))) % 2n ** 64n) + 1n;
  return { address, secretKey, publicKey: encodeG1(bls.G1.ProjectivePoint.BASE.multiply(secretKey)) };
}

/** Registers workers `from .. from + n - 1` of family `seed`, each with `bond` sgETH, `perBlock` of them a block;
 * returns them with their indices. */
export async function registerWorkers(net: Network, seed: number, n: number, bond: bigint, from = 0, perBlock = 40): Promise<NetWorker[]> {
  const chainId = await net.publicClient.getChainId();
  const assets = ((await net.vault.read.previewMint([bond])) * 101n) / 100n;
  const out: NetWorker[] = [];
  await net.testClient.setAutomine(false);
  try {
    for (let start = from; start < from + n; start += perBlock) {
      const batch: NetWorker[] = [];
      for (let i = start; i < Math.min(from + n, start + perBlock); i++) batch.push(netWorker(seed, i));
      // The node answers each worker's requests while this process computes the next worker's PoP.
      const registers = await Promise.all(
        batch.map(async (w) => {
          const pop = encodeG2(hashToG2(popMessage(chainId, net.workers.address, w.address, w.publicKey), POP_DST).multiplyUnsafe(w.secretKey));
          await net.networkHelpers.impersonateAccount(w.address);
          await net.networkHelpers.setBalance(w.address, assets + 10n ** 18n);
          await net.vault.write.depositETH([w.address, bond], { account: w.address, value: assets, gas: 300_000n, nonce: 0, ...FEES });
          await net.vault.write.approve([net.workers.address, bond], { account: w.address, gas: 100_000n, nonce: 1, ...FEES });
          return net.workers.write.register([bond, w.publicKey, pop], { account: w.address, gas: 600_000n, nonce: 2, ...FEES });
        }),
      );
      await net.networkHelpers.mine(1);
      for (const hash of registers) {
        const r = await net.publicClient.getTransactionReceipt({ hash });
        if (r.status !== "success") throw new Error(`a registration reverted (${hash})`);
      }
      await Promise.all(batch.map(async (w) => (w.index = BigInt((await net.workers.read.workerOf([w.address])).index))));
      out.push(...batch);
    }
  } finally {
    await net.testClient.setAutomine(true);
  }
  return out;
}

/** The aggregate signature of `digest` by the holders of `secretKeys`: (sum of keys) * H(digest). */
export function aggregateSignature(secretKeys: readonly bigint[], digest: Hex): Hex {
  const sum = secretKeys.reduce((a, k) => (a + k) % CURVE_ORDER, 0n);
  return encodeG2(hashToG2(digest, ATTESTATION_DST).multiply(sum));
}

/** The aggregate public key of `secretKeys`: (sum of keys) * g1. */
export function aggregateKey(secretKeys: readonly bigint[]): Hex {
  const sum = secretKeys.reduce((a, k) => (a + k) % CURVE_ORDER, 0n);
  return sum === 0n ? `0x${"00".repeat(128)}` : encodeG1(bls.G1.ProjectivePoint.BASE.multiply(sum));
}
