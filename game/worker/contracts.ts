/**
 * The worker's typed handles on the deployment's contracts (viem `getContract` over the generated ABIs): every read
 * is checked against the ABI by function name and arguments, and its result type comes from it. Reads that the loop
 * makes at its confirmed block go through `readEpoch`, which gives the duties one plain view of an epoch.
 */
import { getContract, type Address, type Hex } from "viem";
import { rewardSettlementAbi, runRegistryAbi, workerRegistryAbi } from "../chain/generated/abis.js";
import type { ChainContext } from "./chain.js";

/** RewardSettlement.EpochStatus. */
export const EpochStatus = { Open: 0, Challengeable: 1, Finalizable: 2, Final: 3, Fallback: 4 } as const;
export type EpochStatus = (typeof EpochStatus)[keyof typeof EpochStatus];
export const STATUS_NAMES = ["Open", "Challengeable", "Finalizable", "Final", "Fallback"] as const;

export function workerContracts(ctx: ChainContext) {
  const client = ctx.publicClient;
  const c = ctx.deployment.contracts;
  return {
    settlement: getContract({ address: c.settlement, abi: rewardSettlementAbi, client }),
    runRegistry: getContract({ address: c.runRegistry, abi: runRegistryAbi, client }),
    workerRegistry: getContract({ address: c.workerRegistry, abi: workerRegistryAbi, client }),
  };
}

export type WorkerContracts = ReturnType<typeof workerContracts>;

/** What the chain says of one ended epoch at the confirmed block `safe`: all a duty needs to decide. */
export interface EpochView {
  epoch: bigint;
  /** The confirmed block these values were read at. */
  safe: bigint;
  /** How many runs the epoch has: its RunSubmitted logs (nothing on-chain counts them; the quorum attests it). */
  runCount: bigint;
  status: EpochStatus;
  round: bigint;
  /** The root that reached quorum, read when the epoch is Challengeable or Final; else undefined. */
  root: Hex | undefined;
  /** Whether this worker may attest (bonded, not exiting, not slashed). */
  eligible: boolean;
}

/**
 * Reads `epoch`'s view at `safe`, `runCount` being how many RunSubmitted logs the epoch has (epoch-data.ts counts
 * them). An epoch without runs is read too: nothing on-chain stops a quorum from attesting it.
 */
export async function readEpoch(
  contracts: WorkerContracts,
  epoch: bigint,
  safe: bigint,
  eligible: boolean,
  runCount: bigint,
): Promise<EpochView> {
  const at = { blockNumber: safe };
  const [status, round] = await Promise.all([
    contracts.settlement.read.epochStatus([epoch], at),
    contracts.settlement.read.roundOf([epoch], at),
  ]);
  const withRoot = status === EpochStatus.Challengeable || status === EpochStatus.Final;
  const root = withRoot ? (await contracts.settlement.read.rootOf([epoch], at))[0] : undefined;
  return { epoch, safe, runCount, status: status as EpochStatus, round, root, eligible };
}

/** Whether `worker` may attest at `safe`. */
export function isEligible(contracts: WorkerContracts, worker: Address, safe: bigint): Promise<boolean> {
  return contracts.workerRegistry.read.isEligible([worker], { blockNumber: safe });
}
