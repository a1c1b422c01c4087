/**
 * Every custom error of the contracts the page talks to (the generated ABIs in game/chain/generated/abis.ts: the
 * vault, GOLD, the run registry, the settlement, the worker registry, the replayer), as one sentence a player can
 * act on. `tx.ts` uses it for every failed call; the unit tests check that no error of those ABIs is left out.
 * No React, no wallet code: plain functions of the error's name and arguments.
 */
import { FRAUD_NAMES, type FraudKind } from "../../../chain/fraud.js";
import { runLabel } from "../../../chain/runId.js";
import { formatUnits } from "viem";

type Args = readonly unknown[];

/** ETH (18 decimals) in words: "1.25 ETH". */
export function ethWords(wei: unknown): string {
  return `${amount(wei, 18)} ETH`;
}

/** sgETH (21 decimals) in words: "3.5 sgETH". */
export function sgEthWords(shares: unknown): string {
  return `${amount(shares, 21)} sgETH`;
}

function amount(v: unknown, decimals: number): string {
  let x: bigint;
  try {
    x = BigInt(v as bigint);
  } catch {
    return String(v);
  }
  const n = Number(formatUnits(x, decimals));
  return n.toLocaleString("en-US", { maximumFractionDigits: n !== 0 && Math.abs(n) < 0.001 ? 8 : 4 });
}

/** A run id in the one display form (game/chain/runId.ts `runLabel`): "run #<nonce>". */
function run(v: unknown): string {
  try {
    return runLabel(BigInt(String(v)));
  } catch {
    return "run ?";
  }
}
const Run = (v: unknown) => `R${run(v).slice(1)}`;

const block = (v: unknown) => `block ${String(v)}`;

const INPUTS = "The run's recorded inputs are malformed (the page encoded them wrongly): report it, and start a new run";

/** Error name -> sentence (no trailing period; `explainContractError` adds it). */
export const ERROR_SENTENCES: Record<string, (a: Args) => string> = {
  // The vault (ERC-4626, sgETH) and the ERC-20s it inherits.
  ERC4626ExceededMaxDeposit: (a) =>
    BigInt(a[2] as bigint) === 0n
      ? "The vault is full: its deposit cap is reached, so no deposit fits right now"
      : `Above the vault's deposit cap: at most ${ethWords(a[2])} can be deposited now`,
  ERC4626ExceededMaxMint: (a) => `Above the vault's deposit cap: at most ${sgEthWords(a[2])} can be minted now`,
  ERC4626ExceededMaxRedeem: (a) => `You hold ${sgEthWords(a[2])} that can be redeemed; enter at most that`,
  ERC4626ExceededMaxWithdraw: (a) => `At most ${ethWords(a[2])} can be withdrawn now`,
  ERC20InsufficientBalance: (a) => `Not enough balance: you hold ${amount(a[1], 21)} and asked for ${amount(a[2], 21)}`,
  ERC20InsufficientAllowance: (a) => `The allowance is too small (${String(a[1])} of ${String(a[2])} needed): approve more first`,
  ERC20InvalidApprover: () => "The approving account is not valid (the zero address)",
  ERC20InvalidReceiver: () => "The receiving address is not valid (the zero address)",
  ERC20InvalidSender: () => "The sending address is not valid (the zero address)",
  ERC20InvalidSpender: () => "The spender address is not valid (the zero address)",
  AccessControlBadConfirmation: () => "Only the account itself can renounce its role",
  AccessControlUnauthorizedAccount: () => "This account lacks the role this action needs (it is for the vault's operators)",
  AssetsBelowMinimum: () => "The exchange rate moved: you would get less ETH than the minimum; try again",
  SharesBelowMinimum: () => "The exchange rate moved: you would get fewer sgETH than the minimum; try again",
  DepositsPaused: () => "Deposits are paused by the vault's guardian: try again later",
  WithdrawalsPaused: () => "Withdrawals are paused by the vault's guardian: try again later",
  EthTransferFailed: (a) => `Sending ${ethWords(a[1])} to the receiver failed (it does not accept ETH)`,
  InstantExitLimitExceeded: (a) => `Over today's instant-exit limit (${ethWords(a[1])} left today): exit less, or use the withdrawal queue`,
  InsufficientLiquidity: (a) =>
    `The vault has ${ethWords(a[1])} liquid right now, not the ${ethWords(a[0])} needed: request a withdrawal through the queue`,
  InvalidTreasury: () => "The vault's treasury address is not valid",
  NotRequestOwner: (a) => `Withdrawal #${String(a[0])} belongs to another account`,
  ParameterOutOfRange: (a) => `The vault parameter ${String(a[0])} is out of its range`,
  ReentrancyGuardReentrantCall: () => "The contract refused a nested call (reentrancy guard)",
  ReportTooEarly: (a) => `The next exchange-rate report is allowed from ${String(a[0])}`,
  RequestAlreadyClaimed: (a) => `Withdrawal #${String(a[0])} was claimed already`,
  RequestNotClaimable: (a) => `Withdrawal #${String(a[0])} can be claimed from ${block(a[1])}: wait for its delay`,
  RequestNotFound: (a) => `There is no withdrawal #${String(a[0])}`,
  SafeCastOverflowedUintDowncast: () => "The amount is too large for the contract",
  SafeERC20FailedOperation: () => "A token transfer inside the contract failed",
  StrategyAssetMismatch: () => "The vault's strategy holds another asset than the vault",
  UnexpectedEthSender: () => "The vault accepts ETH only through Deposit",
  UseWithdrawalQueue: () => "This amount must leave through the withdrawal queue: press Request withdrawal",
  ZeroAddress: () => "An address is missing (the zero address was given)",
  ZeroAmount: () => "Enter an amount above zero",
  ZeroShares: () => "The amount is too small: it would give 0 sgETH",

  // GOLD.
  ECDSAInvalidSignature: () => "The signature is not valid",
  ECDSAInvalidSignatureLength: () => "The signature has the wrong length",
  ECDSAInvalidSignatureS: () => "The signature is not valid (malleable s value)",
  ERC2612ExpiredSignature: () => "The permit signature expired: sign again",
  ERC2612InvalidSigner: () => "The permit was signed by another account",
  EmissionScheduleExceeded: () => "GOLD's emission schedule allows no more minting yet",
  InvalidAccountNonce: () => "The signature's nonce is stale: sign again",
  InvalidSchedule: () => "GOLD's emission schedule is not valid",
  InvalidShortString: () => "A name string in the contract is not valid",
  NotMinter: () => "Only the settlement contract may mint GOLD",
  StringTooLong: () => "A name string is too long for the contract",

  // The run registry.
  RunAlreadyActive: (a) =>
    `You already have ${run(a[1])} open: resume it or give it up (Play card or Runs & rewards), then play again`,
  SubmitDeadlinePassed: (a) => `The run had to be submitted by ${block(a[1])}: start a new one`,
  RunAlreadySubmitted: () => "This run was submitted already",
  RunNotFound: (a) => `There is no ${run(a[0])}`,
  NotAuthorized: () => "This account may not act for the player: the session key expired or was revoked; enable it again",
  InvalidSessionKey: () => "The session key or its expiry is not valid",
  InsufficientStake: (a) => `You have ${sgEthWords(a[1])} staked; you asked for ${sgEthWords(a[0])}`,
  StakeStillLocked: (a) => `The stake is locked until ${block(a[0])}`,
  StakeBoostingRun: (a) => `The stake boosts ${run(a[0])}, still open until ${block(a[1])}: submit it or wait, then unlock`,
  SeedNotDrawn: (a) => `The mine of ${run(a[0])} is drawn from ${block(a[1])}, which is not made yet: wait a moment and retry`,
  SeedExpired: (a) => `The mine of ${run(a[0])} came from ${block(a[1])}, now out of reach: that run is over, start a new one`,
  InvalidParameter: () => "A parameter is out of its allowed range",
  InvalidInputs: () => INPUTS,
  InputsTooLong: (a) => `The run's inputs are too long (${String(a[0])} bytes, at most ${String(a[1])})`,
  InputHeaderTruncated: () => INPUTS,
  InputRunOverrun: () => INPUTS,
  InputTokenSplit: () => INPUTS,
  InputsTruncated: () => INPUTS,
  TrailingInputBytes: () => INPUTS,
  UnknownAction: () => INPUTS,
  UnsupportedInputVersion: (a) => `The run's inputs use version ${String(a[0])}, which the contract does not know: reload the page`,
  TooManyTicks: (a) => `The run is longer than allowed (${String(a[0])} ticks, at most ${String(a[1])})`,

  // The settlement.
  AlreadyClaimed: (a) => `${Run(a[0])} was claimed already`,
  ChallengeWindowClosed: (a) => `The challenge window of epoch ${String(a[0])} closed at ${block(a[1])}`,
  EmptyEpoch: (a) => `Epoch ${String(a[0])} has no runs`,
  EpochEmissionExceeded: (a) => `Epoch ${String(a[0])} would pay more GOLD than its limit`,
  EpochNotEnded: (a) => `Epoch ${String(a[0])} ends at ${block(a[1])}: wait for it`,
  FallbackNotOpen: (a) => `Settling by replay opens at ${block(a[1])} for epoch ${String(a[0])}: wait for it`,
  InputsMismatch: (a) => `The inputs given for ${run(a[0])} are not the ones submitted`,
  InvalidConfig: () => "The settlement's configuration is not valid",
  InvalidProof: () =>
    "The Merkle proof does not match the epoch's root (the page rebuilt a different tree): reload and try again",
  MalformedClaims: () => "The packed claims are malformed: reload and try again",
  NoAttesterReward: (a) => `Nothing to pay this worker for epoch ${String(a[0])}`,
  NoFraud: (a) => `The root is right at position ${String(a[0])}: no fraud to prove`,
  ProofLengthMismatch: (a) => `The proof has ${String(a[0])} levels; the epoch's tree has ${String(a[1])}`,
  NotPlayersRun: (a) => `${Run(a[0])} belongs to another player`,
  RunNotInEpoch: (a) => `${Run(a[0])} was not submitted in epoch ${String(a[1])}: it cannot be missing from that epoch's root`,
  RunNotSubmitted: (a) => `${Run(a[0])} was never submitted`,
  NoQuorum: (a) => `The signers hold ${String(a[0])} of ${String(a[1])} eligible stake: less than the quorum`,
  InvalidSignature: () => "The aggregate signature does not verify under the signers' keys",
  InvalidNonSigner: (a) => `Non-signer ${String(a[0])} is not an eligible worker (or the list is not sorted)`,
  SlashesPending: (a) => `Signers of a rejected root must be slashed first (${String(a[0])} left)`,
  NotCleared: (a) => `Worker ${String(a[0])} must first be checked against every rejected root (applySlashes)`,
  InvalidProofOfPossession: () => "The BLS key's proof of possession does not verify",
  UnknownRejection: (a) => `Rejection ${String(a[0])} does not exist, or the non-signer list is not its own`,
  RejectionsOutOfOrder: (a) => `Worker ${String(a[0])} must first be checked against rejection ${String(a[1])}`,
  BLSInvalidDST: () => "The signature's domain tag is malformed",
  BLSInvalidLength: (a) => `A BLS point has a wrong encoding (${String(a[0])} bytes)`,
  BLSPrecompileFailed: () => "A BLS point was refused (not on the curve or not in its group)",
  CheckpointUnorderedInsertion: () => "The bond history was written out of order",  WrongEpochStatus: (a) => `Epoch ${String(a[0])} is not at that stage (not claimable yet, or settled another way)`,
  ZeroRoot: () => "An attestation needs a non-empty root",

  // The worker registry.
  AlreadyExiting: () => "This worker is leaving already",
  AlreadyRegistered: () => "This worker is registered already",
  BondBelowMinimum: (a) => `The bond is below the minimum of ${ethWords(a[1])}`,
  ExitNotReady: (a) => `The worker can leave from ${block(a[0])}`,
  InvalidAmount: () => "Enter an amount above zero",
  NotEligible: () => "This worker may not attest (not bonded, or slashed)",
  NotExiting: () => "This worker has not asked to leave",
  NotRegistered: () => "This worker is not registered",
  NotSettlement: () => "Only the settlement contract may do this",
  SettlementBindingClosed: () => "The settlement is bound already",
};

/** What each RewardSettlement.Fraud (RootRejected's `fraud`) means, in the page's words. */
export const FRAUD_SENTENCES: Record<FraudKind, string> = {
  WrongLeaf: "a run's gold in the root is not what its replay earned",
  WrongSum: "a sum inside the root's tree is not the gold under it",
  WrongTotal: "the attested total is not the root's sum",
  BeyondCount: "the root holds a run past the number of runs it attested",
  WrongDepth: "the root's tree has the wrong shape (a run above the others, or an empty branch)",
  Omitted: "a run submitted in the epoch is missing from the root",
  Unordered: "the root holds a run twice or out of order",
  Invented: "the root holds a run that was not submitted in the epoch",
};

/** The page's words for a Fraud, by name or by the number RootRejected carries. */
export function explainFraud(fraud: FraudKind | number): string {
  const name = typeof fraud === "number" ? FRAUD_NAMES[fraud] : fraud;
  return name === undefined ? `an unknown kind of fraud (${String(fraud)})` : FRAUD_SENTENCES[name];
}

/** One sentence (ending in a period) for a decoded custom error; a readable fallback for unknown names. */
export function explainContractError(name: string, args: Args = []): string {
  const f = ERROR_SENTENCES[name];
  if (f) return `${f(args)}.`;
  return `The contract refused the transaction (${name}).`;
}

/** Words for errors that are not custom errors: viem's, the wallet's, wagmi's. Undefined when nothing matches. */
export function explainMessage(message: string): string | undefined {
  if (/provider not found|ProviderNotFoundError|no injected provider|window\.ethereum/i.test(message)) {
    return "No browser wallet found: install one (e.g. MetaMask) or use the local burner wallet.";
  }
  if (/insufficient funds|Missing or invalid parameters|Invalid parameters were provided to the RPC method|exceeds the balance of the account|sender doesn't have enough funds/i.test(message)) {
    return "Not enough ETH for this deposit and its gas.";
  }
  if (/user (rejected|denied)/i.test(message)) return "You rejected the request in your wallet.";
  if (/failed to fetch|networkerror|ECONNREFUSED/i.test(message)) {
    return "The RPC does not answer: is the chain running (npm start for the local devnet)?";
  }
  return undefined;
}
