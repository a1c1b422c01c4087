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
import { explainContractError, explainMessage } from "./errors.js";
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

/** One sentence for any error a wallet, the RPC or a contract throws. */
export function explainError(e: unknown): string {
  if (e instanceof TxFailed) return e.message;
  if (e instanceof BaseError) {
    if (e.walk((x) => x instanceof UserRejectedRequestError)) return "You rejected the request in your wallet.";
    if (e.walk((x) => x instanceof InsufficientFundsError)) {
      return "Not enough ETH for this transaction and its gas (on the devnet: press +100 test ETH).";
    }
    const revert = e.walk((x) => x instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      const name = revert.data?.errorName;
      const args = revert.data?.args ?? [];
      if (name) return `${explainContractError(name, args)} (${name})`;
      if (revert.reason) return `Reverted: ${revert.reason}.`;
      return "The contract reverted without a reason.";
    }
    const http = e.walk((x) => x instanceof HttpRequestError || x instanceof TimeoutError);
    if (http) {
      const url = http instanceof HttpRequestError ? http.url : "the RPC";
      return `The RPC at ${url} does not answer: is the chain running (npm start for the local devnet)?`;
    }
    return explainMessage(`${e.shortMessage} ${e.details} ${e.message}`) ?? e.shortMessage;
  }
  if (e instanceof Error) {
    return explainMessage(`${e.name} ${e.message}`) ?? e.message;
  }
  return String(e);
}
