/**
 * Every transaction goes through `runTx`: its progress (signing, pending, confirmed) and its failure land in a
 * small store the TxLog shows, in plain words (user rejected, insufficient funds, reverted with reason, RPC down).
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  HttpRequestError,
  InsufficientFundsError,
  TimeoutError,
  UserRejectedRequestError,
  type Hash,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import { useTxLog, type TxEntry } from "./txlog.js";

export { useTxLog, type TxEntry, type TxState } from "./txlog.js";

let nextId = 1;

export class TxFailed extends Error {}

/** Sends a transaction through `send`, waits for its receipt and reports each step. Throws TxFailed. */
export async function runTx(
  label: string,
  client: PublicClient,
  send: () => Promise<Hash>,
): Promise<TransactionReceipt> {
  const id = nextId++;
  const put = useTxLog.getState().put;
  const entry: TxEntry = { id, label, state: "signing", at: Date.now() };
  put(entry);
  let hash: Hash | undefined;
  try {
    hash = await send();
    put({ ...entry, state: "pending", hash });
    const receipt = await client.waitForTransactionReceipt({ hash, timeout: 120_000 });
    if (receipt.status !== "success") {
      throw new TxFailed(`the transaction was mined but reverted (block ${receipt.blockNumber})`);
    }
    put({ ...entry, state: "confirmed", hash });
    return receipt;
  } catch (e) {
    const message = explainError(e);
    put({ ...entry, state: "failed", hash, message });
    throw new TxFailed(message);
  }
}

/** Contract errors a player may meet, in words. */
const REASONS: Record<string, (args: readonly unknown[]) => string> = {
  RunAlreadyActive: (a) => `you already have run ${short(a[1])} open until block ${a[2]}: submit it or wait for its deadline`,
  SubmitDeadlinePassed: (a) => `the run had to be submitted by block ${a[1]}: start a new one`,
  RunAlreadySubmitted: () => "this run was submitted already",
  NotAuthorized: () => "this account may not act for the player (is the session key expired or revoked?)",
  InvalidSessionKey: () => "the session key or its expiry is invalid",
  AlreadyClaimed: (a) => `run ${short(a[0])} was claimed already`,
  InvalidProof: () => "the Merkle proof does not match the epoch's root (the client rebuilt a different tree)",
  WrongEpochStatus: (a) => `epoch ${a[0]} is not claimable yet`,
  SharesBelowMinimum: () => "the exchange rate moved: fewer shares than the minimum; try again",
  AssetsBelowMinimum: () => "the exchange rate moved: less ETH than the minimum; try again",
  RequestNotClaimable: (a) => `this withdrawal can be claimed from block ${a[1]}`,
  InsufficientLiquidity: () => "the vault has not enough liquid ETH right now: wait for the queue, or request a withdrawal",
  InstantExitLimitExceeded: (a) => `over today's instant-exit limit (${a[1]} wei left): use the withdrawal queue`,
  DepositsPaused: () => "deposits are paused by the guardian",
  WithdrawalsPaused: () => "withdrawals are paused by the guardian",
  StakeStillLocked: (a) => `the stake is locked until block ${a[0]}`,
};

function short(v: unknown): string {
  const s = String(v);
  return s.length > 12 ? `#…${s.slice(-6)}` : `#${s}`;
}

/** One sentence for any error a wallet, the RPC or a contract throws. */
export function explainError(e: unknown): string {
  if (e instanceof TxFailed) return e.message;
  if (e instanceof BaseError) {
    if (e.walk((x) => x instanceof UserRejectedRequestError)) return "You rejected the request in your wallet.";
    if (e.walk((x) => x instanceof InsufficientFundsError)) {
      return "Insufficient funds: the account has not enough ETH for the value plus gas.";
    }
    const revert = e.walk((x) => x instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      const name = revert.data?.errorName;
      const args = revert.data?.args ?? [];
      if (name && REASONS[name]) return `Reverted (${name}): ${REASONS[name](args)}.`;
      if (name) return `Reverted with ${name}(${args.map(String).join(", ")}).`;
      if (revert.reason) return `Reverted: ${revert.reason}.`;
      return "The contract reverted without a reason.";
    }
    const http = e.walk((x) => x instanceof HttpRequestError || x instanceof TimeoutError);
    if (http) {
      const url = http instanceof HttpRequestError ? http.url : "the RPC";
      return `The RPC at ${url} does not answer: is the chain running (npm start for the local devnet)?`;
    }
    if (/insufficient funds/i.test(e.message)) return "Insufficient funds: the account has not enough ETH for the value plus gas.";
    if (/user (rejected|denied)/i.test(e.message)) return "You rejected the request in your wallet.";
    return e.shortMessage;
  }
  if (e instanceof Error) {
    if (/failed to fetch|networkerror|ECONNREFUSED/i.test(e.message)) {
      return "The RPC does not answer: is the chain running (npm start for the local devnet)?";
    }
    return e.message;
  }
  return String(e);
}
