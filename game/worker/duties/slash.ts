/**
 * The slash duty: after a rejected root, the registry refuses every attestation until all its signers are slashed
 * (`WorkerRegistry.pendingSlashes`), and a worker may leave or be paid only once it has been checked against every
 * rejection since it joined. So each poll: while slashes are pending, check every worker against each rejection in
 * order with `applySlashes(rejection, nonSigners, indices)` (the non-signer list is the rejected attestation's, read
 * from its transaction); when none are, clear only this worker's own index, so its rewards and bond stay claimable.
 * Anyone may do it; duplicates by other workers only make a batch skip the workers already checked.
 */
import { rewardSettlementAbi, workerRegistryAbi } from "../../chain/generated/abis.js";
import type { ChainContext } from "../chain.js";
import type { WorkerContracts } from "../contracts.js";
import type { TxSender } from "../tx.js";
import { DutyBase, type DutyDeps, type DutyOutcome } from "./duty.js";

export const SLASH_HINT = "applying a rejected root's slashes failed: check the worker's ETH balance for gas; retrying";
/** Workers per `applySlashes` transaction: ~70k gas each, well inside a block. */
export const SLASH_BATCH = 100;

export class SlashDuty extends DutyBase {
  readonly name = "slash" as const;
  /** Non-signer lists of rejections, by rejection id. */
  private readonly lists = new Map<bigint, readonly bigint[]>();

  constructor(
    deps: DutyDeps,
    private readonly ctx: ChainContext,
    private readonly contracts: WorkerContracts,
    private readonly tx: TxSender,
    private readonly index: () => bigint | undefined,
  ) {
    super(deps);
  }

  step(): Promise<DutyOutcome> {
    return Promise.resolve("settled");
  }

  async background(safe: bigint): Promise<void> {
    const registry = this.contracts.workerRegistry;
    const at = { blockNumber: safe };
    const [pending, count, workers] = await Promise.all([
      registry.read.pendingSlashes(at),
      registry.read.rejectionCount(at),
      registry.read.workerCount(at),
    ]);
    if (count === 0n) return;
    const me = this.index();
    const all = Array.from({ length: Number(workers) }, (_, i) => BigInt(i));
    const targets = pending > 0n ? all : me === undefined ? [] : [me];
    if (targets.length === 0) return;
    const cleared = await Promise.all(targets.map((i) => registry.read.clearedOf([i], at)));
    for (let r = 0n; r < count; r++) {
      const due = targets.filter((_, k) => cleared[k]! === r);
      if (due.length === 0) continue;
      const list = await this.nonSigners(r, safe);
      for (let i = 0; i < due.length; i += SLASH_BATCH) {
        const batch = due.slice(i, i + SLASH_BATCH);
        const sent = await this.attempt({ epoch: r, round: 0n, safe }, { kind: "challenge", hint: SLASH_HINT }, () =>
          this.tx.send({ address: this.ctx.deployment.contracts.workerRegistry, abi: workerRegistryAbi, functionName: "applySlashes", args: [r, list, batch] }),
        );
        if (sent === undefined) return; // retried after the backoff
        if (sent.status === "sent") {
          this.succeeded(r, safe);
          this.deps.log.info({ rejection: Number(r), workers: batch.length, tx: sent.hash }, "applied a rejected root's slashes");
        }
      }
      // Checked against r: due for r + 1 next.
      targets.forEach((_, k) => {
        if (cleared[k] === r) cleared[k] = r + 1n;
      });
    }
  }

  /** The non-signer list of rejection `r`: the rejected attestation's, from its Attested event. */
  private async nonSigners(r: bigint, safe: bigint): Promise<readonly bigint[]> {
    const known = this.lists.get(r);
    if (known !== undefined) return known;
    const settlement = { address: this.ctx.deployment.contracts.settlement, abi: rewardSettlementAbi } as const;
    const from = BigInt(this.ctx.deployment.startBlock);
    const rejected = (await this.ctx.publicClient.getContractEvents({ ...settlement, eventName: "RootRejected", fromBlock: from, toBlock: safe }))
      .find((l) => l.args.rejection === r);
    if (rejected === undefined) throw new Error(`no RootRejected event for rejection ${r}`);
    const attested = (
      await this.ctx.publicClient.getContractEvents({ ...settlement, eventName: "Attested", args: { epoch: rejected.args.epoch }, fromBlock: from, toBlock: safe })
    ).find((l) => l.args.round === rejected.args.round && l.args.root === rejected.args.root);
    if (attested === undefined) throw new Error(`no attestation of the root rejected by rejection ${r}`);
    const list = attested.args.nonSigners;
    if (list === undefined) throw new Error(`the attestation of rejection ${r} carries no non-signer list`);
    this.lists.set(r, list);
    return list;
  }
}
