/**
 * The benches' game contracts over an already deployed vault (its sgETH is what players lock and workers bond):
 * RunRegistry, WorkerRegistry, SurgeReplayer and RewardSettlement (which deploys GOLD), bound together. Locks last
 * 50 blocks, the boost is full at 10 minimum bonds, the unbonding delay is 20,000 blocks, the fallback opens 5,000
 * blocks after an epoch, half a bond is slashed and 5% of an epoch's emission (at most 10,000,000 GOLD) goes to
 * attesters. Deployed through `viem`, so a production network (production-build.ts) checks every contract's code.
 */
import { parseEther, type Address } from "viem";
import type { NetworkConnection } from "hardhat/types/network";

export interface GameParams {
  genesis: bigint;
  epochBlocks: bigint;
  submitWindow: bigint;
  minBond: bigint;
  challengeWindow: bigint;
}

export async function deployGame(viem: NetworkConnection["viem"], vault: Address, p: GameParams) {
  const runs = await viem.deployContract("RunRegistry", [vault, p.genesis, p.epochBlocks, p.submitWindow, 50n, 10n * p.minBond]);
  const workers = await viem.deployContract("WorkerRegistry", [vault, p.minBond, 20_000n]);
  const replayer = await viem.deployContract("SurgeReplayer");
  const settlement = await viem.deployContract("RewardSettlement", [
    runs.address,
    workers.address,
    replayer.address,
    {
      epochCap: parseEther("10000000"),
      attesterBps: 500n,
      quorumBps: 6_666n,
      challengeWindow: p.challengeWindow,
      fallbackDelay: 5_000n,
      slashBps: 5_000n,
    },
  ]);
  await workers.write.bindSettlement([settlement.address]);
  return { runs, workers, replayer, settlement };
}
