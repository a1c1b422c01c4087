// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IRestakingStrategy} from "./IRestakingStrategy.sol";

/// @title The WETH9 surface that SurgeVault uses
interface IWETH9 is IERC20 {
    /// @notice Wraps `msg.value` ETH into as much WETH for the caller.
    function deposit() external payable;

    /// @notice Unwraps `amount` WETH of the caller and sends the caller as much ETH.
    function withdraw(uint256 amount) external;
}

/// @title Types of SurgeVault
interface ISurgeVaultTypes {
    /// @notice Status of a withdrawal request.
    enum WithdrawalStatus {
        None, // no such request
        Pending, // waiting for its delay
        Claimable, // finalized (payout set aside), or past its delay and the buffer (with matured unstakes) can pay it
        Claimed, // paid out
        AwaitingLiquidity // the delay has passed but the buffer cannot pay it yet: `rebalance` must unstake first
    }

    /// @notice Tunable parameters, as the constructor and `setParameters` take them and `parameters()` shows them.
    /// The bounds of each are listed at `ISurgeVault.setParameters`.
    struct Parameters {
        address treasury; // receives protocol fee shares
        uint256 depositCap; // on total assets, in wei
        uint256 bufferTargetBps; // buffer kept after routing, bps of total assets
        uint256 bufferMaxBps; // free buffer above this routes down to the target
        uint256 protocolFeeBps; // share of reported rewards above the high-water mark minted to the treasury
        uint256 instantExitFeeBps; // fee on instant exits; must be >= maxReportIncreaseBps
        uint256 instantExitDailyLimit; // assets that may leave by instant exit per UTC day
        uint256 withdrawalDelayBlocks; // >= the strategy's withdrawal delay
        uint256 minReportInterval; // seconds between reports
        uint256 maxReportIncreaseBps; // per report
    }
}

/// @title Errors of SurgeVault
/// @dev Besides these, the vault reverts with OpenZeppelin's `ERC4626ExceededMaxDeposit` (deposit cap, for
/// `mint` too), `ERC20InsufficientBalance` (exits larger than a balance), `AccessControlUnauthorizedAccount`
/// (role checks), `SafeCastOverflowedUintDowncast` and `ReentrancyGuardReentrantCall`.
interface ISurgeVaultErrors {
    /// @notice Deposits are paused by the guardian.
    error DepositsPaused();

    /// @notice Withdrawal requests, claims, instant exits and rebalancing are paused by the guardian.
    error WithdrawalsPaused();

    /// @notice An amount of zero (assets, shares or ids) was given, or an exit would pay nothing.
    error ZeroAmount();

    /// @notice An address that must be set was zero.
    error ZeroAddress();

    /// @notice A deposit of `assets` would mint no shares.
    error ZeroShares(uint256 assets);

    /// @notice A deposit would mint `shares`, fewer than the caller's `minShares`.
    error SharesBelowMinimum(uint256 shares, uint256 minShares);

    /// @notice An exit would pay `assets`, less than the caller's `minAssets`.
    error AssetsBelowMinimum(uint256 assets, uint256 minAssets);

    /// @notice The synchronous ERC-4626 `withdraw`/`redeem` are disabled: use `requestWithdrawal` or `instantExit`.
    error UseWithdrawalQueue();

    /// @notice No withdrawal request has the id `requestId`.
    error RequestNotFound(uint256 requestId);

    /// @notice `caller` may not claim `requestId`, which belongs to `owner`.
    error NotRequestOwner(uint256 requestId, address caller, address owner);

    /// @notice `requestId` was claimed already.
    error RequestAlreadyClaimed(uint256 requestId);

    /// @notice `requestId` can be claimed from block `claimableBlock` on, not before.
    error RequestNotClaimable(uint256 requestId, uint256 claimableBlock);

    /// @notice Paying `needed` needs more liquid WETH than the `available` part of the buffer.
    error InsufficientLiquidity(uint256 needed, uint256 available);

    /// @notice An instant exit of `assets` exceeds what is `remaining` of today's instant-exit limit.
    error InstantExitLimitExceeded(uint256 assets, uint256 remaining);

    /// @notice The previous report was too recent; the next is accepted from `nextReportAt` (unix seconds).
    error ReportTooEarly(uint256 nextReportAt);

    /// @notice The treasury cannot be `treasury` (the vault itself: fee shares would be lost among the escrow).
    error InvalidTreasury(address treasury);

    /// @notice The parameter `name` cannot be `value`; it must lie in [`min`, `max`].
    error ParameterOutOfRange(string name, uint256 value, uint256 min, uint256 max);

    /// @notice Sending `amount` ETH to `receiver` failed.
    error EthTransferFailed(address receiver, uint256 amount);

    /// @notice Only WETH may send ETH to the vault (when unwrapping); `sender` tried.
    error UnexpectedEthSender(address sender);

    /// @notice The strategy's underlying token `strategyAsset` is not the vault's asset `vaultAsset`.
    error StrategyAssetMismatch(address vaultAsset, address strategyAsset);
}

/// @title Events of SurgeVault
/// @dev Deposits emit ERC-4626's `Deposit`, claims and instant exits ERC-4626's `Withdraw` (besides their own
/// events); share movements emit ERC-20's `Transfer`.
interface ISurgeVaultEvents is ISurgeVaultTypes {
    /// @notice `owner` moved `shares` into the withdrawal queue as request `requestId`, worth `assets` at the
    /// time; it can be claimed from block `claimableBlock` on.
    event WithdrawalRequested(
        uint256 indexed requestId,
        address indexed owner,
        uint256 shares,
        uint256 assets,
        uint256 claimableBlock
    );

    /// @notice Request `requestId` of `owner` was claimed: its `shares` were burned and `assets` ETH sent to
    /// `receiver`.
    event WithdrawalClaimed(
        uint256 indexed requestId,
        address indexed owner,
        address indexed receiver,
        uint256 shares,
        uint256 assets
    );

    /// @notice Request `requestId` of `owner` was finalized (by `rebalance`, once its delay had passed and the buffer
    /// could fund it): its escrowed `shares` were burned and its payout fixed at `assets`, set aside for its claim.
    event WithdrawalFinalized(uint256 indexed requestId, address indexed owner, uint256 shares, uint256 assets);

    /// @notice `owner` burned `shares` for `assets` ETH sent to `receiver`; `fee` stayed in the vault.
    event InstantExited(address indexed owner, address indexed receiver, uint256 shares, uint256 assets, uint256 fee);

    /// @notice A report booked `strategyAssets` for the strategy position; the vault now holds `totalAssets` for
    /// `totalSupply` shares (after fee shares), up from (or down from) `previousTotalAssets`; a gain reaches the rate
    /// linearly until the `unlockAt` of the `GainLocked` emitted with it. The exchange-rate chart is built from these
    /// and `LossSynced`.
    event ExchangeRateReported(
        uint256 totalAssets,
        uint256 totalSupply,
        uint256 previousTotalAssets,
        uint256 strategyAssets,
        uint256 feeShares,
        uint256 reportedAt
    );

    /// @notice A loss the strategy shows on chain was booked at once (`syncLoss`, or before an entry, a claim, an
    /// instant exit or a finalization of requests): the strategy position is now `strategyAssets` and total assets
    /// `totalAssets`, down from `previousTotalAssets`.
    event LossSynced(uint256 totalAssets, uint256 previousTotalAssets, uint256 strategyAssets);

    /// @notice Routing `assets` into the strategy failed (the strategy reverted); they stay in the buffer.
    event RoutingFailed(uint256 assets);

    /// @notice A gain of `amount` (a report's, net of the protocol fee, or an instant exit's fee) was locked: the
    /// `locked` total now reaches the exchange rate linearly until unix time `unlockAt`.
    event GainLocked(uint256 amount, uint256 locked, uint256 unlockAt);

    /// @notice `feeShares` worth `feeAssets` of the reported rewards were minted to `treasury`.
    event ProtocolFeeMinted(address indexed treasury, uint256 feeAssets, uint256 feeShares);

    /// @notice `assets` WETH of the buffer were deposited into the strategy for `strategyShares`.
    event AssetsRouted(uint256 assets, uint256 strategyShares);

    /// @notice `strategyShares` (worth about `assets`) were queued for withdrawal from the strategy as
    /// `withdrawalRoot`, completable from unix time `completableAt` on (Symbiotic: the end of the next epoch).
    event UnstakeQueued(
        bytes32 indexed withdrawalRoot,
        uint256 strategyShares,
        uint256 assets,
        uint256 completableAt
    );

    /// @notice The strategy withdrawal `withdrawalRoot`, expected to pay `expectedAssets`, paid `receivedAssets`
    /// into the buffer.
    event UnstakeCompleted(bytes32 indexed withdrawalRoot, uint256 expectedAssets, uint256 receivedAssets);

    /// @notice The admin (or the constructor) set the parameters to `parameters`.
    event ParametersUpdated(Parameters parameters);

    /// @notice `account` set the pause flags to the given values.
    event PauseUpdated(address indexed account, bool depositsPaused, bool withdrawalsPaused);
}

/// @title SurgeVault: sgETH, an ERC-4626 liquid restaking vault over WETH
/// @notice Deposit ETH (or WETH) for sgETH. The vault keeps a liquid WETH buffer and routes the rest into a
/// restaking strategy (Symbiotic, through `SymbioticStrategy`). Rewards reach the exchange rate when the oracle
/// reports (the vault reads the strategy's on-chain value; a protocol fee above the high-water mark; a minimum
/// interval and a bounded rise per report), and then linearly over the report interval (`lockedGain`); slashing
/// reaches it as soon as the strategy shows it (previews at once; booked by `syncLoss`, every entry, claims of
/// requests not finalized, finalizations, instant exits, reports). Exits: queue a withdrawal (`requestWithdrawal`;
/// `rebalance` finalizes it once its delay has passed and the buffer can fund it; then `claimWithdrawal`) or exit
/// instantly from the buffer for a fee (`instantExit`, rate limited per day). The synchronous ERC-4626
/// `withdraw`/`redeem` are disabled.
/// @dev sgETH has 21 decimals (18 of WETH plus a virtual-share offset of 3): 1 sgETH = 1e21 base units, worth
/// about 1 ETH at launch. Use `decimals()` and `exchangeRate()`, never assume 18.
interface ISurgeVault is IERC4626, ISurgeVaultErrors, ISurgeVaultEvents {
    // ---------------------------------------------------------------- entries

    /// @notice Wraps `msg.value` ETH into WETH and mints sgETH to `receiver`.
    /// @param minShares Revert unless at least this many shares are minted (slippage bound).
    /// @return shares The shares minted.
    function depositETH(address receiver, uint256 minShares) external payable returns (uint256 shares);

    /// @notice ERC-5143: `deposit(assets, receiver)` with a slippage bound. Pulls `assets` WETH from the caller.
    function deposit(uint256 assets, address receiver, uint256 minShares) external returns (uint256 shares);

    // ---------------------------------------------------------------- exits

    /// @notice Moves `shares` of the caller into escrow as a withdrawal request, claimable after the delay.
    /// @dev The escrowed shares stay in the total supply until the request is finalized (by `rebalance`, once its delay
    /// has passed and the buffer can fund it) or claimed, so slashing before then lowers the request pro rata like
    /// every other holding; rewards reported after the request do not raise it (it pays `min(assets at request, value
    /// of the shares when finalized or claimed)`).
    /// @param minAssets Revert unless the shares are worth at least this much now (slippage bound).
    /// @return requestId The id of the request (ids start at 1).
    function requestWithdrawal(uint256 shares, uint256 minAssets) external returns (uint256 requestId);

    /// @notice Claims the caller's request `requestId`, sending the ETH to `receiver`. A request `rebalance` finalized
    /// pays the amount fixed then (`WithdrawalFinalized`), reading nothing from the strategy; any other books first any
    /// loss the strategy shows on chain (see `syncLoss`), then pays the value of its shares and burns them.
    /// @param minAssets Revert unless at least this much ETH is sent (slippage bound).
    /// @return assets ETH sent.
    function claimWithdrawal(uint256 requestId, address receiver, uint256 minAssets) external returns (uint256 assets);

    /// @notice Claims several of the caller's requests at once and sends the sum to `receiver`.
    /// @param minAssets Revert unless at least this much ETH is sent in all (slippage bound).
    /// @return assets ETH sent.
    function claimWithdrawals(
        uint256[] calldata requestIds,
        address receiver,
        uint256 minAssets
    ) external returns (uint256 assets);

    /// @notice Burns `shares` of the caller and sends their value, less the instant-exit fee, in ETH to
    /// `receiver` at once, from the buffer not reserved for the queue. Limited per UTC day. Books first any loss
    /// the strategy shows on chain (see `syncLoss`), so the shares are valued at min(accounted, on-chain).
    /// @param minAssets Revert unless at least this much ETH is sent (slippage bound).
    /// @return assets ETH sent.
    function instantExit(uint256 shares, uint256 minAssets, address receiver) external returns (uint256 assets);

    // ---------------------------------------------------------------- operations

    /// @notice ORACLE_ROLE: books the strategy position at its on-chain value (`IRestakingStrategy.totalAssetsOf`),
    /// read in this transaction, so that nothing that happens between the oracle's look and the report can skew it.
    /// A loss is booked in full. A gain is the oracle's to confirm: at most `maxGain`, and at most
    /// `maxReportIncreaseBps` of total assets (the rest waits for a later report). The protocol fee is charged only
    /// on the part of a gain that lifts the rate above its high-water mark. The rest of the gain is locked and vests
    /// linearly over `minReportInterval` (`GainLocked`); a loss consumes the locked gain first. Emits
    /// `ExchangeRateReported`.
    /// @dev Reverts if sooner than `minReportInterval` after the last report. The oracle can delay or withhold a
    /// gain; it cannot book a loss the strategy does not show, nor a gain above what it shows.
    function report(uint256 maxGain) external;

    /// @notice Anyone: if the strategy shows less on chain than the vault has booked (slashing), books the loss at
    /// once (no interval, no bound) and emits `LossSynced`; otherwise does nothing.
    function syncLoss() external;

    /// @notice Anyone: completes matured strategy withdrawals, then queues a strategy withdrawal when the buffer
    /// (plus what is being unstaked) is short of the queue's reservations plus the buffer target, or (unless
    /// deposits are paused) routes the free buffer above `bufferMaxBps` into the strategy. Last, finalizes in id
    /// order the requests whose delay has passed and that the buffer can fund: books any loss the strategy shows,
    /// fixes each payout, burns the escrow and sets the payouts aside (`WithdrawalFinalized`), so that their claims
    /// need no strategy read. Blocked only by a withdrawal pause, so that a deposit pause never keeps claims from
    /// being funded.
    function rebalance() external;

    /// @notice GUARDIAN_ROLE: pauses deposits and/or withdrawals (a `false` leaves that flag as it is).
    function pause(bool deposits, bool withdrawals) external;

    /// @notice DEFAULT_ADMIN_ROLE: lifts the pause on deposits and/or withdrawals (a `false` leaves it as it is).
    function unpause(bool deposits, bool withdrawals) external;

    /// @notice DEFAULT_ADMIN_ROLE: sets every parameter at once (read `parameters()`, change what you need, write it
    /// back). Each is checked against hard bounds no role can lift: protocol fee <= 20%; buffer target <= buffer max
    /// <= 100%; withdrawal delay between 1 and 216,000 blocks (existing requests keep theirs);
    /// report interval between 1 hour and 7 days; report increase <= 5% and <= the instant-exit fee; instant-exit
    /// fee <= 5%; treasury neither zero nor the vault.
    function setParameters(Parameters calldata parameters) external;

    // ---------------------------------------------------------------- views

    /// @notice The restaking strategy (fixed at deployment).
    function strategy() external view returns (IRestakingStrategy);

    /// @notice WETH in assets per whole sgETH (10 ** decimals() base units), scaled by 1e18.
    function exchangeRate() external view returns (uint256);

    /// @notice Where the assets are. `buffer`: WETH held by the vault on the pool's account (reservations for the
    /// queue included). `inStrategy`: last accounted value of the strategy position (withdrawals in flight included);
    /// totalAssets() == buffer + inStrategy - the gains still locked (see `GainLocked`), lower still while the
    /// strategy shows a loss not yet synced. `queued`: sum of `assets` of unclaimed requests, the part of the buffer
    /// reserved for the queue. `unstaking`: assets being withdrawn from the strategy. `free`: buffer not reserved
    /// for the queue, which instant exits can use.
    function liquidity()
        external
        view
        returns (uint256 buffer, uint256 inStrategy, uint256 queued, uint256 unstaking, uint256 free);

    /// @notice Status of request `requestId` and the block from which it can be claimed (0 for an unknown id).
    /// After its delay a request reads `Claimable` when the buffer plus matured strategy withdrawals can pay
    /// `previewClaim` now, else `AwaitingLiquidity` (someone must `rebalance`, then wait the strategy's delay).
    /// Its owner, shares and booked assets are in its `WithdrawalRequested` event; `previewClaim` gives its payout.
    function withdrawalStatus(uint256 requestId)
        external
        view
        returns (WithdrawalStatus status, uint256 claimableBlock);

    /// @notice ETH a claim of `requestId` would pay now (0 if it does not exist or was claimed).
    function previewClaim(uint256 requestId) external view returns (uint256 assets);

    /// @notice ETH an instant exit of `shares` would pay now, and the fee it would leave in the vault.
    function previewInstantExit(uint256 shares) external view returns (uint256 assets, uint256 fee);

    /// @notice WETH set aside for finalized requests not claimed yet (outside `liquidity().buffer`: the vault holds
    /// buffer + reserved).
    function reservedForClaims() external view returns (uint256);

    /// @notice Assets that can still leave by instant exit today.
    function instantExitRemaining() external view returns (uint256);

    /// @notice The id the next withdrawal request will get.
    function nextRequestId() external view returns (uint256);

    /// @notice Unix time of the last report (0 before the first).
    function lastReportAt() external view returns (uint256);

    /// @notice The highest exchange rate any report has set, as assets per share scaled by 1e27 ((total assets + 1)
    /// * 1e27 / (supply + virtual shares)); the protocol fee is charged only on gains above it.
    function highWaterRate() external view returns (uint256);

    /// @notice Whether deposits and withdrawals are paused.
    function paused() external view returns (bool depositsPaused, bool withdrawalsPaused);

    /// @notice The current parameters.
    function parameters() external view returns (Parameters memory);
}
