// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IRestakingStrategy} from "../interfaces/IRestakingStrategy.sol";
import {ISurgeVaultErrors, ISurgeVaultEvents, IWETH9} from "../interfaces/ISurgeVault.sol";

/// @title SurgeVault's liquidity: the WETH buffer, routing into the strategy and unstaking from it
/// @notice The buffer is WETH held by the vault. Part of it is reserved for the withdrawal queue (`queued`); the
/// rest, the free buffer, serves instant exits. When the free buffer exceeds `bufferMaxBps` of total assets, the
/// excess above `bufferTargetBps` is routed into the strategy, by the deposit that crosses the threshold or by
/// `rebalance`. Routing is thus lazy: most deposits only add to the buffer, and one deposit in many pays for it.
/// When the buffer plus what is being unstaked falls short of the queue's reservations plus the target,
/// `rebalance` queues a strategy withdrawal for the difference; it lands in the buffer after the strategy's delay,
/// which a request's own delay is never shorter than. A request does not queue that unstake itself (it would not fit
/// the request's gas budget): a keeper (anyone) must call `rebalance`; until the unstake lands, the request reads
/// `AwaitingLiquidity`. A deposit whose routing the strategy refuses keeps the assets in the buffer.
/// @dev An external library (linked at deployment, run by DELEGATECALL on the vault's storage) for the cold paths,
/// so that they do not count against the vault's 24 KB size limit; `routeAmount` is internal (the deposit path).
/// [CAUTION] The strategy is trusted: it holds most assets and cannot be replaced. A strategy withdrawal that cannot
/// be completed is skipped (try/catch), so a misbehaving strategy cannot block claims the buffer can pay.
/// Losses: the strategy's on-chain view (`totalAssetsOf`) is the truth for losses; `syncLoss` books one at once.
/// Gains vest: a report's gain and an instant exit's fee are locked and reach the rate linearly over the report
/// interval (`lock`, `lockedGain`), so that nobody can take a gain by timing an entry or an exit around it.
library VaultLiquidityLib {
    using SafeCast for uint256;

    uint256 private constant BPS = 10_000;
    /// @dev Most strategy withdrawals (from the head of the FIFO) looked at in one call, so that the loop is bounded.
    uint256 private constant MAX_COMPLETIONS_PER_CALL = 8;

    /// @dev What the pool owns, in WETH. Invariant: totalAssets() == buffer + strategy; buffer <= WETH balance.
    /// `strategy` is the oracle's last valuation, plus routed assets, minus completed withdrawals; it includes
    /// withdrawals in flight. Packed: every deposit reads and writes both.
    struct Holdings {
        uint128 buffer;
        uint128 strategy;
    }

    /// @dev Invariant: queued == sum of `assets` of unclaimed requests (their claims pay at most that);
    /// unstaking == sum of `assets` of strategy withdrawals in flight.
    struct Liabilities {
        uint128 queued;
        uint128 unstaking;
    }

    /// @dev A strategy withdrawal in flight; `assets` is its value when queued; `completableAt` a unix time.
    struct Unstake {
        bytes32 root;
        uint128 assets;
        uint64 completableAt;
    }

    /// @dev Gains not yet in the rate: `locked` at `lockedAt`, falling linearly to 0 at `unlockAt`. Invariant:
    /// lockedGain() <= buffer + strategy, so the vested total assets never go below 0.
    struct Vesting {
        uint128 locked;
        uint64 lockedAt;
        uint64 unlockAt;
    }

    /// @dev Assets that left by instant exit during UTC day `day`. Invariant: exited <= the daily limit at the time.
    struct ExitWindow {
        uint128 exited;
        uint64 day;
    }

    /// @dev `unstakes` is a FIFO of withdrawals in flight: indices [head, tail).
    struct Store {
        Holdings holdings;
        Liabilities liabilities;
        mapping(uint256 index => Unstake) unstakes;
        uint64 head;
        uint64 tail;
        ExitWindow exitWindow;
        Vesting vesting;
    }

    /// @notice Completes matured strategy withdrawals; then either queues a strategy withdrawal for the shortfall
    /// of (buffer + unstaking) against (queued + target), or, if `route`, routes the free buffer above the maximum.
    /// A strategy that refuses the deposit (full, paused) leaves the assets in the buffer and keeps the completions.
    function rebalance(
        Store storage s,
        IRestakingStrategy strategy,
        IWETH9 weth,
        uint256 targetBps,
        uint256 maxBps,
        bool route,
        uint256 vestingPeriod
    ) external {
        completeMatured(s, strategy, weth, vestingPeriod);
        Holdings memory h = s.holdings;
        Liabilities memory debts = s.liabilities;
        uint256 total = uint256(h.buffer) + h.strategy;
        uint256 wanted = uint256(debts.queued) + (total * targetBps) / BPS;
        uint256 coming = uint256(h.buffer) + debts.unstaking;
        if (coming < wanted) {
            _queueUnstake(s, strategy, wanted - coming);
            return;
        }
        uint256 routed = route ? routeAmount(s, h.buffer, h.strategy, targetBps, maxBps) : 0;
        if (routed == 0) return;
        s.holdings = Holdings(uint128(h.buffer - routed), (h.strategy + routed).toUint128());
        try strategy.deposit(routed) returns (uint256 shares) {
            emit ISurgeVaultEvents.AssetsRouted(routed, shares);
        } catch {
            s.holdings = h; // the assets stay in the buffer; the completions above stand
            emit ISurgeVaultEvents.RoutingFailed(routed);
        }
    }

    /// @notice Completes the matured strategy withdrawals among the first MAX_COMPLETIONS_PER_CALL of the FIFO into
    /// the buffer, skipping (not stopping at) any that is not completable yet or whose completion fails, and moves
    /// the head past the completed ones. Moving assets from `strategy` to `buffer` leaves total assets unchanged,
    /// unless the withdrawal paid more than the accounted strategy assets: that unreported gain is locked and vests
    /// over `vestingPeriod` like a report's. Internal: `rebalance` and the withdrawal queue's claims (another
    /// library) run it.
    function completeMatured(
        Store storage s,
        IRestakingStrategy strategy,
        IWETH9 weth,
        uint256 vestingPeriod
    ) internal {
        uint256 head = s.head;
        uint256 tail = s.tail;
        uint256 end = Math.min(tail, head + MAX_COMPLETIONS_PER_CALL);
        bool prefix = true; // every entry before this one is completed: the head may move past it
        for (uint256 i = head; i < end; ++i) {
            Unstake memory u = s.unstakes[i];
            if (u.root == bytes32(0)) {
                if (prefix) head = i + 1; // completed by an earlier call
                continue;
            }
            if (block.timestamp < u.completableAt || !_complete(s, strategy, weth, i, u, vestingPeriod)) {
                prefix = false; // skip it; later entries may be completable (the strategy's delay can shrink)
                continue;
            }
            if (prefix) head = i + 1;
        }
        s.head = uint64(head);
    }

    /// @dev Completes strategy withdrawal `index` (`u`); false if the strategy refused.
    function _complete(
        Store storage s,
        IRestakingStrategy strategy,
        IWETH9 weth,
        uint256 index,
        Unstake memory u,
        uint256 vestingPeriod
    ) private returns (bool) {
        uint256 before = weth.balanceOf(address(this));
        try strategy.completeWithdrawal(u.root) {} catch {
            return false; // leave it for a later call; never block what the buffer can pay
        }
        uint256 received = weth.balanceOf(address(this)) - before;
        delete s.unstakes[index];
        Holdings memory h = s.holdings;
        uint256 fromStrategy = Math.min(received, h.strategy);
        s.holdings = Holdings((h.buffer + received).toUint128(), uint128(h.strategy - fromStrategy));
        if (received > fromStrategy) lock(s, received - fromStrategy, vestingPeriod);
        uint128 unstaking = s.liabilities.unstaking;
        s.liabilities.unstaking = u.assets < unstaking ? unstaking - u.assets : 0;
        emit ISurgeVaultEvents.UnstakeCompleted(u.root, u.assets, received);
        return true;
    }

    /// @notice Books at once a loss the strategy shows on chain: if its view of the vault's position is below the
    /// accounted strategy assets, the accounted value falls to the view, and the locked gain absorbs the loss first.
    /// Never raises it (gains wait for a report).
    /// @return vested Total assets in the rate after it: buffer + strategy - locked gain.
    function syncLoss(Store storage s, IRestakingStrategy strategy) external returns (uint256 vested) {
        return bookLoss(s, strategy);
    }

    /// @notice `syncLoss`'s body, internal so that the withdrawal queue (another library) books a loss before it
    /// values requests without a link between the libraries.
    function bookLoss(Store storage s, IRestakingStrategy strategy) internal returns (uint256 vested) {
        uint256 strategyView = strategy.totalAssetsOf(address(this));
        Holdings memory h = s.holdings;
        if (strategyView < h.strategy) {
            uint256 previous = uint256(h.buffer) + h.strategy;
            absorbLoss(s, h.strategy - strategyView);
            // Cannot truncate: strategyView < h.strategy, a uint128.
            h.strategy = uint128(strategyView);
            s.holdings.strategy = h.strategy;
            emit ISurgeVaultEvents.LossSynced(uint256(h.buffer) + strategyView, previous, strategyView);
        }
        vested = uint256(h.buffer) + h.strategy - lockedGain(s);
    }

    /// @notice Total assets in the rate as `syncLoss` would leave them now, without writing: buffer, plus the lower
    /// of the accounted strategy assets and the strategy's view, less the locked gain left after it absorbs the loss.
    /// What every preview and ERC-4626's `totalAssets` use, so that they agree with the entries and exits.
    function vestedAssets(Store storage s, IRestakingStrategy strategy) external view returns (uint256) {
        Holdings memory h = s.holdings;
        uint256 inStrategy = Math.min(h.strategy, strategy.totalAssetsOf(address(this)));
        uint256 locked = lockedGain(s);
        uint256 loss = h.strategy - inStrategy;
        locked = locked > loss ? locked - loss : 0;
        return uint256(h.buffer) + inStrategy - locked;
    }

    /// @notice The part of the locked gains that has not reached the rate yet (linear from `lockedAt` to `unlockAt`).
    function lockedGain(Store storage s) internal view returns (uint256) {
        Vesting memory v = s.vesting;
        if (block.timestamp >= v.unlockAt) return 0;
        // Cannot divide by zero: lockedAt <= block.timestamp < unlockAt.
        return (uint256(v.locked) * (v.unlockAt - block.timestamp)) / (v.unlockAt - v.lockedAt);
    }

    /// @notice Locks a new gain of `amount`: it joins what is still locked and the whole vests linearly until an end
    /// that is the average of the current end and `now + period`, weighted by the amounts (as Yearn v3 unlocks
    /// profits): a small gain barely moves the end, so nobody can hold back the vesting of others' gains for long.
    /// Emits `GainLocked`.
    function lock(Store storage s, uint256 amount, uint256 period) internal {
        if (amount == 0) return;
        uint256 current = lockedGain(s);
        uint256 remaining = current == 0 ? 0 : s.vesting.unlockAt - block.timestamp;
        uint256 locked = current + amount;
        uint256 unlockAt = block.timestamp + Math.ceilDiv(current * remaining + amount * period, locked);
        s.vesting = Vesting(locked.toUint128(), uint64(block.timestamp), unlockAt.toUint64());
        emit ISurgeVaultEvents.GainLocked(amount, locked, unlockAt);
    }

    /// @notice A loss of `loss` first consumes the locked gain (which then vests what is left by the same end).
    function absorbLoss(Store storage s, uint256 loss) internal {
        uint256 current = lockedGain(s);
        if (current == 0) return;
        uint256 left = current > loss ? current - loss : 0;
        // Cannot truncate: left <= current <= a uint128.
        s.vesting = Vesting(uint128(left), uint64(block.timestamp), s.vesting.unlockAt);
    }

    /// @notice Undoes the booking of `assets` routed into the strategy, whose deposit failed: they stay in the buffer.
    function undoRouting(Store storage s, uint256 assets) external {
        Holdings memory h = s.holdings;
        // Cannot overflow or underflow: `assets` were just moved from `buffer` to `strategy`.
        s.holdings = Holdings(uint128(h.buffer + assets), uint128(h.strategy - assets));
        emit ISurgeVaultEvents.RoutingFailed(assets);
    }

    /// @notice What a claim could pay now: the buffer plus the expected value of the strategy withdrawals it would
    /// complete (matured ones among the first MAX_COMPLETIONS_PER_CALL of the FIFO). An estimate: a completion
    /// pays the value at completion, lower after slashing.
    function claimableLiquidity(Store storage s) external view returns (uint256 available) {
        available = s.holdings.buffer;
        uint256 head = s.head;
        uint256 end = Math.min(s.tail, head + MAX_COMPLETIONS_PER_CALL);
        for (uint256 i = head; i < end; ++i) {
            Unstake memory u = s.unstakes[i];
            if (u.root != bytes32(0) && block.timestamp >= u.completableAt) available += u.assets;
        }
    }

    /// @notice Books an instant exit of `shares` paying `assets` to `receiver` (`fee` stays): checks today's limit
    /// and the free buffer (the buffer not reserved for the queue), takes `assets` out of the buffer and emits
    /// `InstantExited` and ERC-4626's `Withdraw`. The exit fee never leaves the buffer; it is locked and vests over
    /// `vestingPeriod`, so an exit split in pieces gets none of its own fee back.
    function bookInstantExit(
        Store storage s,
        address receiver,
        uint256 shares,
        uint256 assets,
        uint256 fee,
        uint256 dailyLimit,
        uint256 vestingPeriod
    ) external {
        uint256 remaining = instantExitRemaining(s, dailyLimit);
        if (assets > remaining) revert ISurgeVaultErrors.InstantExitLimitExceeded(assets, remaining);
        uint256 buffer = s.holdings.buffer;
        uint256 queued = s.liabilities.queued;
        uint256 free = buffer > queued ? buffer - queued : 0;
        if (assets > free) revert ISurgeVaultErrors.InsufficientLiquidity(assets, free);
        uint256 day = block.timestamp / 1 days;
        ExitWindow memory w = s.exitWindow;
        // Cannot overflow: today's exits are at most the daily limit (checked) and at most the buffer (< 2^128).
        s.exitWindow = ExitWindow(uint128(w.day == day ? w.exited + assets : assets), uint64(day));
        // Cannot underflow: assets <= free buffer <= buffer.
        s.holdings.buffer = uint128(buffer - assets);
        lock(s, fee, vestingPeriod);
        emit ISurgeVaultEvents.InstantExited(msg.sender, receiver, shares, assets, fee);
        emit IERC4626.Withdraw(msg.sender, receiver, msg.sender, assets, shares);
    }

    /// @notice Assets that can still leave by instant exit today under `dailyLimit`.
    function instantExitRemaining(Store storage s, uint256 dailyLimit) internal view returns (uint256) {
        ExitWindow memory w = s.exitWindow;
        uint256 used = w.day == block.timestamp / 1 days ? w.exited : 0;
        return dailyLimit > used ? dailyLimit - used : 0;
    }

    /// @notice How much of a buffer of `buffer` (with `strategyAssets` in the strategy) to route now: the free
    /// buffer above the target once the free buffer exceeds the maximum; otherwise 0. Reads the queue only when the
    /// whole buffer is above the maximum, which keeps the common deposit cheap.
    function routeAmount(
        Store storage s,
        uint256 buffer,
        uint256 strategyAssets,
        uint256 targetBps,
        uint256 maxBps
    ) internal view returns (uint256) {
        uint256 total = buffer + strategyAssets;
        uint256 maxBuffer = (total * maxBps) / BPS;
        if (buffer <= maxBuffer) return 0;
        uint256 queued = s.liabilities.queued;
        if (buffer <= queued + maxBuffer) return 0;
        // Cannot underflow: buffer > queued + maxBuffer >= queued + target.
        return buffer - queued - (total * targetBps) / BPS;
    }

    /// @dev Queues a strategy withdrawal worth at least `assets` (or of everything the vault has there).
    function _queueUnstake(Store storage s, IRestakingStrategy strategy, uint256 assets) private {
        uint256 shares = strategy.assetsToShares(assets);
        if (strategy.sharesToAssets(shares) < assets) ++shares;
        uint256 available = strategy.sharesOf(address(this));
        if (shares > available) shares = available;
        if (shares == 0) return;
        uint256 expected = strategy.sharesToAssets(shares);
        bytes32 root = strategy.queueWithdrawal(shares);
        uint256 completable = strategy.completableAt(root);
        s.unstakes[s.tail++] = Unstake(root, expected.toUint128(), completable.toUint64());
        s.liabilities.unstaking += expected.toUint128();
        emit ISurgeVaultEvents.UnstakeQueued(root, shares, expected, completable);
    }
}
