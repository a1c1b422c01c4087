/**
 * Sends the worker's transactions one at a time. Each one is first simulated against the latest block: a revert
 * that means "already done" (another worker finalized, this worker attested before a restart, …) is a skip, not
 * an error, which is what makes every action idempotent across restarts. The nonce is read from the node's pending
 * count for each transaction, and only one is in flight at a time, so nonces never collide or leave gaps.
 */
import { BaseError, ContractFunctionRevertedError, type Abi, type Hash, type TransactionReceipt } from "viem";
import type { ChainContext } from "./chain.js";

export interface ContractCall {
  address: `0x${string}`;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
}

export type SendResult =
  | { status: "sent"; hash: Hash; receipt: TransactionReceipt }
  | { status: "skipped"; reason: string };

/** The custom error name of a contract revert inside a viem error, if any. */
export function revertName(e: unknown): string | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const revert = e.walk((x) => x instanceof ContractFunctionRevertedError);
  return revert instanceof ContractFunctionRevertedError ? revert.data?.errorName : undefined;
}

export class TxSender {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: ChainContext,
    private readonly receiptTimeoutMs = 120_000,
  ) {}

  /** Simulates, then sends and waits for the receipt; `benign` revert names turn into a skip. */
  send(call: ContractCall, benign: readonly string[] = []): Promise<SendResult> {
    const run = this.queue.then(() => this.sendNow(call, benign));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async sendNow(call: ContractCall, benign: readonly string[]): Promise<SendResult> {
    const { publicClient, walletClient, account } = this.ctx;
    let request;
    try {
      ({ request } = await publicClient.simulateContract({ ...call, account } as Parameters<
        typeof publicClient.simulateContract
      >[0]));
    } catch (e) {
      const name = revertName(e);
      if (name !== undefined && benign.includes(name)) return { status: "skipped", reason: name };
      throw e;
    }
    const nonce = await publicClient.getTransactionCount({ address: account.address, blockTag: "pending" });
    const hash = await walletClient.writeContract({ ...(request as object), nonce } as Parameters<
      typeof walletClient.writeContract
    >[0]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: this.receiptTimeoutMs });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} (${call.functionName}) reverted`);
    return { status: "sent", hash, receipt };
  }
}
