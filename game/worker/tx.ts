/**
 * Sends the worker's transactions one at a time, for every duty and for the operator's commands. Each one is first
 * simulated against the latest block: a revert that means "already done" (another worker finalized, this worker
 * attested before a restart, …) is a skip, not an error, which is what makes every action idempotent across restarts.
 * The nonce is read from the node's pending count for each transaction, and only one is in flight at a time, so
 * nonces never collide or leave gaps. Calls are typed by their ABI: function name and arguments are checked.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hash,
  type TransactionReceipt,
} from "viem";
import { rewardSettlementAbi } from "../chain/generated/abis.js";
import type { ChainContext } from "./chain.js";

type Mutability = "nonpayable" | "payable";

/** A call of a state-changing function of `abi`, typed by its name. */
export interface ContractCall<abi extends Abi, fn extends ContractFunctionName<abi, Mutability>> {
  address: Address;
  abi: abi;
  functionName: fn;
  args: ContractFunctionArgs<abi, Mutability, fn>;
  value?: bigint;
}

type SettlementAbi = typeof rewardSettlementAbi;
type SettlementWrite = ContractFunctionName<SettlementAbi, Mutability>;

/** A call of one of RewardSettlement's state-changing functions (its address and ABI are the deployment's). */
export type SettlementCall = {
  [fn in SettlementWrite]: { functionName: fn; args: ContractFunctionArgs<SettlementAbi, Mutability, fn> };
}[SettlementWrite];

export type SendResult =
  | { status: "sent"; hash: Hash; receipt: TransactionReceipt }
  | { status: "skipped"; reason: string };

/** Sends one settlement call; `benign` revert names turn into a skip. What every duty sends through. */
export type SettlementSend = (call: SettlementCall, benign: readonly string[]) => Promise<SendResult>;

/** The custom error name of a contract revert inside a viem error, if any. */
export function revertName(e: unknown): string | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const revert = e.walk((x) => x instanceof ContractFunctionRevertedError);
  return revert instanceof ContractFunctionRevertedError ? revert.data?.errorName : undefined;
}

/** Whether `e` means the RPC itself is failing (the loop backs off) rather than a transaction being refused. */
export function isRpcDown(e: unknown): boolean {
  if (revertName(e) !== undefined) return false;
  const text = e instanceof Error ? `${e.name} ${e.message}` : String(e);
  return /HttpRequestError|TimeoutError|fetch failed|ECONNREFUSED|ECONNRESET|socket hang up|other side closed|network/i.test(text);
}

/** The first line of an error's message (viem's short message when it has one). */
export function errorLine(e: unknown): string {
  const text = e instanceof Error ? ((e as Error & { shortMessage?: string }).shortMessage ?? e.message) : String(e);
  return text.split("\n")[0]!;
}

/** A call once `send` has checked its types. */
interface UntypedCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
}

export class TxSender {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: ChainContext,
    private readonly receiptTimeoutMs = 120_000,
  ) {}

  /** Simulates, then sends and waits for the receipt; `benign` revert names turn into a skip. */
  send<const abi extends Abi, fn extends ContractFunctionName<abi, Mutability>>(
    call: ContractCall<abi, fn>,
    benign: readonly string[] = [],
  ): Promise<SendResult> {
    const run = this.queue.then(() => this.sendNow(call as unknown as UntypedCall, benign));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The settlement sender the duties use. */
  readonly settlement: SettlementSend = (call, benign) =>
    this.send(
      { address: this.ctx.deployment.contracts.settlement, abi: rewardSettlementAbi, ...call } as ContractCall<
        SettlementAbi,
        SettlementWrite
      >,
      benign,
    );

  private async sendNow(call: UntypedCall, benign: readonly string[]): Promise<SendResult> {
    const { publicClient, walletClient, account } = this.ctx;
    let request;
    try {
      // viem's generic inference cannot follow a call whose ABI is itself a type parameter: checked at `send`.
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
