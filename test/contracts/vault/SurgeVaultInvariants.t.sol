// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SurgeVaultBase} from "./SurgeVaultBase.sol";
import {Test} from "forge-std/Test.sol";
import {MockRestakingLayer} from "../../../contracts/mocks/MockRestakingLayer.sol";
import {MockWETH} from "../../../contracts/mocks/MockWETH.sol";
import {SurgeVault} from "../../../contracts/vault/SurgeVault.sol";
import {IRestakingStrategy} from "../../../contracts/interfaces/IRestakingStrategy.sol";
import {ISurgeVaultTypes, IWETH9} from "../../../contracts/interfaces/ISurgeVault.sol";
import {MockWorld, RestakingWorld, SymbioticWorld} from "./RestakingWorlds.sol";

/// @notice Drives SurgeVault's users for the invariant suite: four actors deposit (ETH and WETH), request and claim
/// withdrawals, exit instantly and transfer sgETH. {SurgeVaultEnvironment} drives the rest (rewards, slashing,
/// reports, rebalancing, time, pauses). Inputs are bounded so that most calls do something, and every call is tried
/// even while paused, to prove the pause holds.
/// @dev Ghost accounting of each actor's fair share: ETH deposited and received, value moved by transfers, and
/// `gain`/`loss`: the actor's pro-rata part of every change of the pool
/// that no single actor caused (reported rewards net of the fee, reported losses, exit fees and forgone rewards
/// left behind, unreported gains realized by unstaking). Pro rata means by shares held, escrowed requests included,
/// over the supply plus the vault's 1,000 virtual shares, exactly as the vault values shares.
/// A request that `rebalance` finalizes leaves the pool then: the handler books its payout as received by the actor
/// at that moment (checking it against min(booked, value at the totals the earlier ones left)), and its claim must
/// pay exactly that payout later, whatever happened to the pool in between.
contract SurgeVaultHandler is Test {
    uint256 private constant BPS = 10_000;
    uint256 private constant VIRTUAL_SHARES = 1e3;
    /// @dev Blocks that a wait for the strategy's delay (a time) also moves on.
    uint256 private constant DELAY_BLOCKS = 50;

    SurgeVault public immutable vault;
    MockWETH public immutable weth;
    IRestakingStrategy public immutable strategy;

    address[4] public actors;
    /// @dev The only caller of the `record` hooks; set once by the deployer.
    address public environment;
    address private immutable _deployer;

    error NotEnvironment();

    /// @dev `payout`: fixed when `rebalance` finalized the request (`finalized`).
    struct Pending {
        uint256 id;
        uint256 shares;
        uint256 booked;
        bool finalized;
        uint256 payout;
    }

    mapping(address actor => Pending[]) private _pending;

    /// @dev Per actor: ETH deposited and received; value given and received by transfers; pro-rata gains and
    /// losses of the pool; shares escrowed in unclaimed requests.
    struct Ghost {
        uint256 deposited;
        uint256 received;
        uint256 transferredIn;
        uint256 transferredOut;
        uint256 gain;
        uint256 loss;
        uint256 escrowedShares;
    }

    mapping(address actor => Ghost) private _ghost;

    uint256 public ghost_queuedAssets;
    uint256 public ghost_escrowTotal;
    /// @dev Fixed payouts of finalized requests not claimed yet.
    uint256 public ghost_reserved;
    /// @dev Requests that a rebalance finalized.
    uint256 public ghost_finalized;
    /// @dev Deposits that reverted while deposits were not paused (the strategy refusing must never block one).
    uint256 public ghost_refusedDeposits;
    uint256 public ghost_actions;
    uint256 public ghost_pauseBypasses;
    uint256 public ghost_rateDrops;
    uint256 public ghost_badClaims;
    uint256 public ghost_reports;
    /// @dev Claims that failed although their status read Claimable and the buffer alone covered them.
    uint256 public ghost_unpaidClaimable;
    /// @dev A loss the strategy shows that no sync point (claim, instant exit, report, `syncLoss`) has booked yet.
    uint256 public ghost_unsyncedLoss;
    /// @dev An upper bound of the gain the strategy shows that no report has booked yet.
    uint256 public ghost_unbookedGain;

    constructor(SurgeVault vault_, MockWETH weth_) {
        vault = vault_;
        weth = weth_;
        strategy = vault_.strategy();
        _deployer = msg.sender;
        for (uint256 i; i < actors.length; ++i) actors[i] = makeAddr(string.concat("actor", vm.toString(i)));
    }

    // ---------------------------------------------------------------- entries

    function depositETH(uint256 actorSeed, uint256 amount) external {
        address actor = _actor(actorSeed);
        amount = bound(amount, 0.001 ether, 100 ether);
        (bool depositsPaused, ) = vault.paused();
        vm.deal(actor, amount);
        (uint256 t0, uint256 s0) = _totals();
        vm.prank(actor);
        try vault.depositETH{value: amount}(actor, 0) {
            _onSuccess(depositsPaused, t0, s0);
            _ghost[actor].deposited += amount;
        } catch {
            if (!depositsPaused) ++ghost_refusedDeposits;
        }
    }

    function depositWETH(uint256 actorSeed, uint256 amount) external {
        address actor = _actor(actorSeed);
        amount = bound(amount, 0.001 ether, 100 ether);
        (bool depositsPaused, ) = vault.paused();
        vm.deal(actor, amount);
        vm.startPrank(actor);
        weth.deposit{value: amount}();
        weth.approve(address(vault), amount);
        (uint256 t0, uint256 s0) = _totals();
        try vault.deposit(amount, actor, 0) {
            _onSuccess(depositsPaused, t0, s0);
            _ghost[actor].deposited += amount;
        } catch {
            if (!depositsPaused) ++ghost_refusedDeposits;
            weth.withdraw(amount);
        }
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- exits

    function requestWithdrawal(uint256 actorSeed, uint256 fractionBps) external {
        address actor = _holder(actorSeed);
        uint256 shares = (vault.balanceOf(actor) * bound(fractionBps, 1, BPS)) / BPS;
        if (shares == 0) return;
        (, bool withdrawalsPaused) = vault.paused();
        uint256 booked = vault.previewRedeem(shares);
        (uint256 t0, uint256 s0) = _totals();
        vm.prank(actor);
        try vault.requestWithdrawal(shares, 0) returns (uint256 id) {
            _onSuccess(withdrawalsPaused, t0, s0);
            _pending[actor].push(Pending(id, shares, booked, false, 0));
            _ghost[actor].escrowedShares += shares;
            ghost_escrowTotal += shares;
            ghost_queuedAssets += booked;
        } catch {}
    }

    /// Claims one request of the actor, waiting for it and unstaking for it if needed.
    function claimWithdrawal(uint256 actorSeed, uint256 requestSeed) external {
        address actor = _actor(actorSeed);
        Pending[] storage list = _pending[actor];
        if (list.length == 0) return;
        uint256 index = bound(requestSeed, 0, list.length - 1);
        Pending memory p = list[index];
        (, uint256 claimable) = vault.withdrawalStatus(p.id);
        if (block.number < claimable) vm.roll(claimable);
        if (!p.finalized) _ensureLiquidity(p.booked);
        p = list[index]; // the rebalance may have finalized it

        (, bool withdrawalsPaused) = vault.paused();
        (uint256 t0, uint256 s0) = _totals();
        uint256 loss = _pendingLoss();
        uint256 given = p.finalized ? 0 : (p.shares * (t0 - loss + 1)) / (s0 + VIRTUAL_SHARES);
        uint256 expected = p.finalized ? p.payout : (given < p.booked ? given : p.booked);
        vm.prank(actor);
        try vault.claimWithdrawal(p.id, actor, 0) returns (uint256 paid) {
            t0 = _onSynced(t0, loss, s0);
            _onSuccess(withdrawalsPaused, t0, s0);
            if (paid != expected || paid > p.booked || (!p.finalized && paid > given)) ++ghost_badClaims;
            if (!p.finalized) _ghost[actor].received += paid;
            _release(actor, index);
            _distributeChange(t0, given);
        } catch {}
    }

    /// Claims one request of the actor as it is: no waiting, no unstaking first. A request whose status reads
    /// Claimable and whose payout the buffer alone covers must be paid (unless withdrawals are paused).
    function claimAsIs(uint256 actorSeed, uint256 requestSeed) external {
        address actor = _actor(actorSeed);
        Pending[] storage list = _pending[actor];
        if (list.length == 0) return;
        uint256 index = bound(requestSeed, 0, list.length - 1);
        Pending memory p = list[index];
        (, bool withdrawalsPaused) = vault.paused();
        (ISurgeVaultTypes.WithdrawalStatus status, ) = vault.withdrawalStatus(p.id);
        (uint256 buffer, , , , ) = vault.liquidity();
        bool mustPay = status == ISurgeVaultTypes.WithdrawalStatus.Claimable && !withdrawalsPaused;
        // A finalized request is paid from the reserve set aside for it, whatever the buffer holds.
        mustPay = mustPay && (p.finalized || vault.previewClaim(p.id) <= buffer);
        (uint256 t0, uint256 s0) = _totals();
        uint256 loss = _pendingLoss();
        uint256 given = p.finalized ? 0 : (p.shares * (t0 - loss + 1)) / (s0 + VIRTUAL_SHARES);
        vm.prank(actor);
        try vault.claimWithdrawal(p.id, actor, 0) returns (uint256 paid) {
            t0 = _onSynced(t0, loss, s0);
            _onSuccess(withdrawalsPaused, t0, s0);
            if (p.finalized ? paid != p.payout : (paid > p.booked || paid > given)) ++ghost_badClaims;
            if (!p.finalized) _ghost[actor].received += paid;
            _release(actor, index);
            _distributeChange(t0, given);
        } catch {
            if (mustPay) ++ghost_unpaidClaimable;
        }
    }

    /// Claims every request of the actor in one call. Each request is paid min(booked, value) at the totals the
    /// previous ones left, exactly as separate claims would be: the handler computes that sequence itself.
    function claimWithdrawals(uint256 actorSeed) external {
        address actor = _actor(actorSeed);
        Pending[] storage list = _pending[actor];
        uint256 n = list.length;
        if (n == 0) return;
        uint256[] memory ids = new uint256[](n);
        uint256 booked;
        for (uint256 i; i < n; ++i) {
            ids[i] = list[i].id;
            booked += list[i].booked;
            (, uint256 claimable) = vault.withdrawalStatus(ids[i]);
            if (block.number < claimable) vm.roll(claimable);
        }
        _ensureLiquidity(booked);
        (, bool withdrawalsPaused) = vault.paused();
        (uint256 t0, uint256 s0) = _totals();
        uint256 loss = _pendingLoss();
        (uint256 given, uint256 expected) = _expectedBatch(list, t0 - loss, s0);
        vm.prank(actor);
        try vault.claimWithdrawals(ids, actor, 0) returns (uint256 paid) {
            t0 = _onSynced(t0, loss, s0);
            _onSuccess(withdrawalsPaused, t0, s0);
            if (paid != expected || paid > booked) ++ghost_badClaims;
            _ghost[actor].received += paid - _finalizedPayouts(list);
            while (list.length != 0) _release(actor, list.length - 1);
            _distributeChange(t0, given);
        } catch {}
    }

    /// What the finalized requests of `list` were fixed to pay (booked as received when they were finalized).
    function _finalizedPayouts(Pending[] storage list) private view returns (uint256 sum) {
        for (uint256 i; i < list.length; ++i) if (list[i].finalized) sum += list[i].payout;
    }

    /// The value of the batch's shares at the current totals (`given`), and what claiming them in order pays: a
    /// finalized request its fixed payout (it left the pool already), the others min(booked, value) in turn.
    function _expectedBatch(
        Pending[] storage list,
        uint256 total,
        uint256 supply
    ) private view returns (uint256 given, uint256 expected) {
        uint256 t = total;
        uint256 s = supply;
        for (uint256 i; i < list.length; ++i) {
            if (list[i].finalized) {
                expected += list[i].payout;
                continue;
            }
            given += (list[i].shares * (total + 1)) / (supply + VIRTUAL_SHARES);
            uint256 value = (list[i].shares * (t + 1)) / (s + VIRTUAL_SHARES);
            uint256 pays = value < list[i].booked ? value : list[i].booked;
            expected += pays;
            t -= pays;
            s -= list[i].shares;
        }
    }

    function instantExit(uint256 actorSeed, uint256 fractionBps) external {
        address actor = _holder(actorSeed);
        uint256 shares = (vault.balanceOf(actor) * bound(fractionBps, 1, BPS)) / BPS;
        if (shares == 0) return;
        (, bool withdrawalsPaused) = vault.paused();
        (uint256 t0, uint256 s0) = _totals();
        uint256 loss = _pendingLoss();
        uint256 given = (shares * (t0 - loss + 1)) / (s0 + VIRTUAL_SHARES);
        vm.prank(actor);
        try vault.instantExit(shares, 0, actor) returns (uint256 paid) {
            t0 = _onSynced(t0, loss, s0);
            _onSuccess(withdrawalsPaused, t0, s0);
            _ghost[actor].received += paid;
            _distributeChange(t0, given);
        } catch {}
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 fractionBps) external {
        address from = _holder(fromSeed);
        address to = _actor(toSeed);
        uint256 shares = (vault.balanceOf(from) * bound(fractionBps, 1, BPS)) / BPS;
        if (shares == 0 || from == to) return;
        uint256 value = vault.convertToAssets(shares);
        vm.prank(from);
        vault.transfer(to, shares);
        ++ghost_actions;
        _ghost[from].transferredOut += value;
        _ghost[to].transferredIn += value;
    }

    // ---------------------------------------------------------------- hooks for the environment

    function setEnvironment(address environment_) external {
        if (msg.sender != _deployer || environment != address(0)) revert NotEnvironment();
        environment = environment_;
    }

    /// The environment rebalanced, from totals `t0` assets and `s0` shares: book the requests it finalized and share
    /// the change of the pool among the actors.
    function recordRebalance(uint256 t0, uint256 s0) external {
        if (msg.sender != environment) revert NotEnvironment();
        _afterRebalance(t0, s0);
    }

    /// The environment changed the pool (a report): share the change among the actors.
    function recordPoolChange(uint256 before, uint256 afterwards, uint256 supply, bool isReport) external {
        if (msg.sender != environment) revert NotEnvironment();
        _distribute(before, afterwards, supply);
        if (isReport) ++ghost_reports;
    }

    /// The environment changed what the strategy shows (rewards, slashing) or booked it (a report, a loss sync):
    /// update the bounds of the unbooked gain and the unsynced loss.
    function recordStrategyChange(uint256 unbookedGain, uint256 unsyncedLoss) external {
        if (msg.sender != environment) revert NotEnvironment();
        ghost_unbookedGain = unbookedGain;
        ghost_unsyncedLoss = unsyncedLoss;
    }

    /// The environment made a call that must fail while paused, and it succeeded; or moved the rate.
    function recordAction(bool paused_, uint256 t0, uint256 s0) external {
        if (msg.sender != environment) revert NotEnvironment();
        _onSuccess(paused_, t0, s0);
    }

    // ---------------------------------------------------------------- views for the invariants

    /// The actor's ghost accounting, and the value of everything it owns in the vault, escrowed requests valued at
    /// the full rate (uncapped by the min rule).
    function ghostOf(address actor) external view returns (Ghost memory ghost, uint256 value) {
        ghost = _ghost[actor];
        value = vault.convertToAssets(vault.balanceOf(actor) + ghost.escrowedShares);
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    /// The requests of `actor` not claimed yet.
    function pendingOf(address actor) external view returns (Pending[] memory) {
        return _pending[actor];
    }

    // ---------------------------------------------------------------- internal

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }

    /// The actor picked by `seed`, or the next one that holds sgETH (so that exits mostly have something to exit).
    function _holder(uint256 seed) private view returns (address) {
        for (uint256 i; i < actors.length; ++i) {
            address a = actors[(seed + i) % actors.length];
            if (vault.balanceOf(a) != 0) return a;
        }
        return actors[seed % actors.length];
    }

    function _totals() private view returns (uint256 total, uint256 supply) {
        return (vault.totalAssets(), vault.totalSupply());
    }

    /// The loss that the next claim or instant exit books before anything else, beyond what `totalAssets` shows:
    /// none, since `totalAssets` values the strategy at its on-chain view already (issue 14); the environment shares
    /// a slash among the holders when it happens.
    function _pendingLoss() private pure returns (uint256) {
        return 0;
    }

    /// A claim or an instant exit booked the pending `loss` first: share it among the holders (supply `s0`, before
    /// the action), clear the unsynced loss, and return the total assets after the sync.
    function _onSynced(uint256 t0, uint256 loss, uint256 s0) private returns (uint256) {
        _distribute(t0, t0 - loss, s0);
        ghost_unsyncedLoss = 0;
        return t0 - loss;
    }

    /// Counts the action; flags a call that succeeded through a pause, and a fall of the rate outside a report.
    function _onSuccess(bool paused_, uint256 t0, uint256 s0) private {
        ++ghost_actions;
        if (paused_) ++ghost_pauseBypasses;
        (uint256 t1, uint256 s1) = _totals();
        if ((t1 + 1) * (s0 + VIRTUAL_SHARES) < (t0 + 1) * (s1 + VIRTUAL_SHARES)) ++ghost_rateDrops;
    }

    /// Makes `assets` claimable from the buffer if the pause allows: unstakes and waits out the strategy's delay.
    function _ensureLiquidity(uint256 assets) private {
        (uint256 buffer, , , , ) = vault.liquidity();
        if (buffer >= assets) return;
        (, bool withdrawalsPaused) = vault.paused();
        if (withdrawalsPaused) return;
        (uint256 t0, uint256 s0) = _totals();
        try vault.rebalance() {
            _afterRebalance(t0, s0);
        } catch {}
        // The strategy's delay is a time; locked gains vest meanwhile: share that among the holders.
        uint256 t1 = vault.totalAssets();
        vm.roll(block.number + DELAY_BLOCKS);
        vm.warp(block.timestamp + strategy.withdrawalDelay());
        _distributeChange(t1, 0);
    }

    /// After a rebalance that found totals `t0` and `s0`: the requests it finalized are the oldest unfinalized ones
    /// (id order) whose shares add up to the escrow it burned. Each must have been fixed at min(booked, value at
    /// the totals the earlier ones left); it leaves the pool (the actor is owed its payout from now on), and the
    /// rest of the change is shared among the holders, as a claim's is.
    function _afterRebalance(uint256 t0, uint256 s0) private {
        uint256 escrow = vault.balanceOf(address(vault));
        uint256 burned = ghost_escrowTotal > escrow ? ghost_escrowTotal - escrow : 0;
        uint256 t = t0;
        uint256 s = s0;
        uint256 given;
        while (burned != 0) {
            (address actor, uint256 index, bool found) = _oldestUnfinalized();
            if (!found || _pending[actor][index].shares > burned) {
                ++ghost_badClaims; // the vault burned escrow that no due request accounts for
                break;
            }
            Pending storage p = _pending[actor][index];
            uint256 value = (p.shares * (t + 1)) / (s + VIRTUAL_SHARES);
            uint256 payout = vault.previewClaim(p.id);
            if (payout != (value < p.booked ? value : p.booked)) ++ghost_badClaims;
            given += (p.shares * (t0 + 1)) / (s0 + VIRTUAL_SHARES);
            t -= payout;
            s -= p.shares;
            burned -= p.shares;
            p.finalized = true;
            p.payout = payout;
            ++ghost_finalized;
            _ghost[actor].escrowedShares -= p.shares;
            _ghost[actor].received += payout;
            ghost_escrowTotal -= p.shares;
            ghost_queuedAssets -= p.booked;
            ghost_reserved += payout;
        }
        _distributeChange(t0, given);
    }

    /// The unfinalized request with the lowest id among all actors'.
    function _oldestUnfinalized() private view returns (address actor, uint256 index, bool found) {
        uint256 best = type(uint256).max;
        for (uint256 i; i < actors.length; ++i) {
            Pending[] storage list = _pending[actors[i]];
            for (uint256 j; j < list.length; ++j) {
                if (!list[j].finalized && list[j].id < best) (best, actor, index, found) = (list[j].id, actors[i], j, true);
            }
        }
    }

    /// After an action in which an actor gave up shares worth `given` (and was paid separately), the pool's
    /// assets went from `t0` to now; whatever the payout did not take is shared by the remaining holders.
    function _distributeChange(uint256 t0, uint256 given) private {
        _distribute(t0, vault.totalAssets() + given, vault.totalSupply());
    }

    /// Shares a move of pool value from `before` to `afterwards` among the actors pro rata, over `supply` plus the
    /// virtual shares. Gains round down (the invariant is an upper bound), losses too (kept on the safe side).
    function _distribute(uint256 before, uint256 afterwards, uint256 supply) private {
        if (afterwards == before) return;
        uint256 basis = supply + VIRTUAL_SHARES;
        for (uint256 i; i < actors.length; ++i) {
            address a = actors[i];
            uint256 shares = vault.balanceOf(a) + _ghost[a].escrowedShares;
            if (afterwards > before) _ghost[a].gain += ((afterwards - before) * shares) / basis;
            else _ghost[a].loss += ((before - afterwards) * shares) / basis;
        }
    }

    /// A claim paid request `index` of `actor`: a finalized request releases its reserve (its payout was booked as
    /// received when it was finalized); any other its escrow and reservation (the caller books what it received).
    function _release(address actor, uint256 index) private {
        Pending[] storage list = _pending[actor];
        Pending memory p = list[index];
        if (p.finalized) {
            ghost_reserved -= p.payout;
        } else {
            _ghost[actor].escrowedShares -= p.shares;
            ghost_escrowTotal -= p.shares;
            ghost_queuedAssets -= p.booked;
        }
        list[index] = list[list.length - 1];
        list.pop();
    }
}

/// @notice Drives everything around the users: the restaking layer earns rewards and is slashed (by its own means:
/// see {RestakingWorld}), each followed by a report or not; anyone rebalances (which finalizes due requests); time
/// passes; the guardian pauses and the admin unpauses. Pool changes are reported to the {SurgeVaultHandler}, which
/// shares them among the actors.
contract SurgeVaultEnvironment is Test {
    uint256 private constant VIRTUAL_SHARES = 1e3;

    SurgeVault public immutable vault;
    RestakingWorld public immutable world;
    IRestakingStrategy public immutable strategy;
    SurgeVaultHandler public immutable handler;
    address private immutable _admin;
    address private immutable _guardian;
    address private immutable _oracle;

    uint256 private _observedGain;
    bool private _observed;

    /// @dev Reports or loss syncs that booked the strategy below what it shows, or above it.
    uint256 public ghost_badBookings;
    /// @dev Rebalances that reverted while withdrawals were not paused (a deposit pause, or a strategy refusing a
    /// deposit, would freeze the queue).
    uint256 public ghost_frozenRebalances;
    /// @dev Slashes whose loss did not reach the rate at once (net of the gain still locked), or that did not cut a
    /// queued request with the rate (or cut one already finalized, whose ETH had left the strategy).
    uint256 public ghost_slashMisses;
    /// @dev Slashes that lowered what the strategy shows.
    uint256 public ghost_slashes;

    constructor(
        SurgeVault vault_,
        RestakingWorld world_,
        address admin,
        address guardian,
        address oracle,
        SurgeVaultHandler handler_
    ) {
        vault = vault_;
        world = world_;
        strategy = vault_.strategy();
        _admin = admin;
        _guardian = guardian;
        _oracle = oracle;
        handler = handler_;
    }

    // ---------------------------------------------------------------- the restaking layer and the oracle

    /// Rewards on what is staked in the layer (up to twice one report's bound), then a report.
    function earnRewards(uint256 bps) external {
        uint256 before = _strategyView();
        uint256 t0 = vault.totalAssets();
        uint256 s0 = vault.totalSupply();
        world.reward(bound(bps, 1, 100));
        // After a slash no sync has booked, rewards first make up the loss that totalAssets shows.
        handler.recordPoolChange(t0, vault.totalAssets(), s0, false);
        uint256 after_ = _strategyView();
        uint256 gain = after_ > before ? after_ - before : 0;
        handler.recordStrategyChange(handler.ghost_unbookedGain() + gain, handler.ghost_unsyncedLoss());
        _report();
    }

    /// Slashing of up to 30% of the layer, reported at once.
    function slash(uint256 bps) external {
        _slash(bps);
        _report();
    }

    /// Slashing of up to 30% of the layer with no report: the next claim, instant exit or `syncLoss` must book it.
    function slashUnreported(uint256 bps) external {
        _slash(bps);
    }

    /// Anyone books the loss the strategy shows.
    function syncLoss() external {
        uint256 t0 = vault.totalAssets();
        uint256 s0 = vault.totalSupply();
        (, uint256 a0, , , ) = vault.liquidity();
        vault.syncLoss();
        _checkBooking(a0);
        handler.recordPoolChange(t0, vault.totalAssets(), s0, false);
        handler.recordStrategyChange(handler.ghost_unbookedGain(), 0);
    }

    /// The oracle looks at the strategy (off chain): the gain it sees is what it will confirm.
    function observe() external {
        (, uint256 inStrategy, , , ) = vault.liquidity();
        uint256 strategyView = _strategyView();
        _observedGain = strategyView > inStrategy ? strategyView - inStrategy : 0;
        _observed = true;
    }

    /// The oracle's report of what it observed earlier, landing after whatever happened in between (deposits that
    /// route, rebalances, completions, slashing): it must never book a loss the strategy does not show.
    function reportObserved() external {
        if (!_observed) return;
        _observed = false;
        _report(_observedGain);
    }

    /// The slash reaches the rate at once: total assets become buffer + min(booked, shown) less what is still
    /// locked of the gains after the new loss consumed it; each queued request not finalized now pays
    /// min(booked, value at the new rate), no more than before, and a finalized one exactly what it was fixed to.
    function _slash(uint256 bps) private {
        uint256 before = _strategyView();
        uint256 t0 = vault.totalAssets();
        uint256 s0 = vault.totalSupply();
        (uint256 buffer, uint256 inStrategy, , , ) = vault.liquidity();
        uint256 lockedBefore = buffer + _min(inStrategy, before) - t0;
        uint256[][] memory previews = _previews();
        world.slash(bound(bps, 1, 3_000));
        uint256 shown = _strategyView();
        uint256 t1 = vault.totalAssets();
        // totalAssets values the strategy at its on-chain view: the holders bear the slash now, synced or not.
        handler.recordPoolChange(t0, t1, s0, false);
        uint256 drop = before - shown;
        if (drop != 0) ++ghost_slashes;
        uint256 newLoss = _min(inStrategy, before) - _min(inStrategy, shown);
        uint256 lockedAfter = lockedBefore > newLoss ? lockedBefore - newLoss : 0;
        if (t1 != buffer + _min(inStrategy, shown) - lockedAfter) ++ghost_slashMisses;
        _checkRequestsCut(previews, t1, s0);
        uint256 gain = handler.ghost_unbookedGain();
        handler.recordStrategyChange(gain > drop ? gain - drop : 0, handler.ghost_unsyncedLoss() + drop);
    }

    /// `previewClaim` of every actor's unclaimed requests, in `pendingOf` order.
    function _previews() private view returns (uint256[][] memory previews) {
        uint256 n = handler.actorCount();
        previews = new uint256[][](n);
        for (uint256 i; i < n; ++i) {
            SurgeVaultHandler.Pending[] memory list = handler.pendingOf(handler.actors(i));
            previews[i] = new uint256[](list.length);
            for (uint256 j; j < list.length; ++j) previews[i][j] = vault.previewClaim(list[j].id);
        }
    }

    function _checkRequestsCut(uint256[][] memory before, uint256 total, uint256 supply) private {
        for (uint256 i; i < before.length; ++i) {
            SurgeVaultHandler.Pending[] memory list = handler.pendingOf(handler.actors(i));
            for (uint256 j; j < list.length; ++j) {
                uint256 preview = vault.previewClaim(list[j].id);
                if (list[j].finalized) {
                    if (preview != before[i][j]) ++ghost_slashMisses;
                    continue;
                }
                uint256 value = (list[j].shares * (total + 1)) / (supply + VIRTUAL_SHARES);
                if (preview != _min(list[j].booked, value) || preview > before[i][j]) ++ghost_slashMisses;
            }
        }
    }

    /// After a report or a loss sync that found `a0` booked for the strategy: the booking fell only to what the
    /// strategy shows, and never rose above it.
    function _checkBooking(uint256 a0) private {
        (, uint256 a1, , , ) = vault.liquidity();
        uint256 strategyView = _strategyView();
        if (a1 < a0 && a1 != strategyView) ++ghost_badBookings;
        if (a1 > a0 && a1 > strategyView) ++ghost_badBookings;
        uint256 gain = strategyView > a1 ? strategyView - a1 : 0;
        uint256 bound_ = handler.ghost_unbookedGain();
        handler.recordStrategyChange(gain < bound_ ? gain : bound_, 0);
    }

    /// Anyone rebalances (and so finalizes the due requests the buffer can fund). A withdrawal pause blocks it;
    /// nothing else may: a deposit pause blocks only routing, and a strategy that refuses the deposit leaves the
    /// assets in the buffer, so the queue can always be funded.
    function rebalance() external {
        (bool depositsPaused, bool withdrawalsPaused) = vault.paused();
        uint256 t0 = vault.totalAssets();
        uint256 s0 = vault.totalSupply();
        (, uint256 a0, , , ) = vault.liquidity();
        try vault.rebalance() {
            handler.recordAction(withdrawalsPaused, t0, s0);
            (, uint256 a1, , , ) = vault.liquidity();
            if (depositsPaused && a1 > a0) handler.recordAction(true, t0, s0); // routed through a deposit pause
            handler.recordRebalance(t0, s0);
        } catch {
            if (!withdrawalsPaused) ++ghost_frozenRebalances;
        }
    }

    function advance(uint256 blocks) external {
        blocks = bound(blocks, 1, 200);
        _passTime(blocks, blocks * 12);
    }

    /// Moves `blocks` and `seconds_` on; locked gains vest meanwhile: the holders share what vested.
    function _passTime(uint256 blocks, uint256 seconds_) private {
        uint256 t0 = vault.totalAssets();
        uint256 s0 = vault.totalSupply();
        vm.roll(block.number + blocks);
        vm.warp(block.timestamp + seconds_);
        handler.recordPoolChange(t0, vault.totalAssets(), s0, false);
    }

    /// Pauses one time in four (deposits, withdrawals or both), so that runs are not mostly paused.
    function pause(uint256 which) external {
        if (which % 4 != 0) return;
        which = bound(which / 4, 0, 2);
        vm.prank(_guardian);
        vault.pause(which != 1, which != 0);
    }

    function unpause(uint256 which) external {
        which = bound(which, 0, 2);
        vm.prank(_admin);
        vault.unpause(which != 1, which != 0);
    }

    /// Reports after the interval, confirming any gain, and shares the change of total assets, net of the value of
    /// the protocol fee shares, among the holders of the shares before the report.
    function _report() private {
        _report(type(uint256).max);
    }

    function _report(uint256 maxGain) private {
        _passTime(0, 1 days);
        uint256 previous = vault.totalAssets();
        uint256 supply = vault.totalSupply();
        (, uint256 a0, , , ) = vault.liquidity();
        address treasury = vault.parameters().treasury;
        uint256 treasuryShares = vault.balanceOf(treasury);
        vm.prank(_oracle);
        vault.report(maxGain);
        _checkBooking(a0);
        uint256 current = vault.totalAssets();
        uint256 fee = vault.convertToAssets(vault.balanceOf(treasury) - treasuryShares);
        handler.recordPoolChange(previous, current - fee, supply, true);
    }

    function _strategyView() private view returns (uint256) {
        return strategy.totalAssetsOf(address(vault));
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}

/// @notice The environment over Symbiotic's own contracts, plus what only Symbiotic does here: its vault refuses
/// deposits (a deposit limit reached) and accepts them again, which must block neither deposits nor rebalancing.
contract SymbioticEnvironment is SurgeVaultEnvironment {
    SymbioticWorld private immutable _symbiotic;

    constructor(
        SurgeVault vault_,
        SymbioticWorld world_,
        address admin,
        address guardian,
        address oracle,
        SurgeVaultHandler handler_
    ) SurgeVaultEnvironment(vault_, world_, admin, guardian, oracle, handler_) {
        _symbiotic = world_;
    }

    /// Symbiotic's vault refuses deposits one time in two, else accepts them again.
    function refuseDeposits(uint256 seed) external {
        _symbiotic.refuseDeposits(seed % 2 == 0);
    }
}

/// @notice Invariants of SurgeVault under random sequences of deposits, requests, claims, instant exits,
/// transfers, rewards, slashing, reports, rebalancing (with finalization), time and pauses (see {SurgeVaultHandler}
/// and {SurgeVaultEnvironment}), over a restaking layer the concrete suite picks. Depth and runs come from
/// hardhat.config.ts; `npm run test:deep` runs a much longer campaign.
abstract contract SurgeVaultInvariantsBase is SurgeVaultBase {
    SurgeVaultEnvironment internal environment;
    SurgeVaultHandler internal handler;

    /// @dev Deploys the vault over `world`'s strategy, the handler and `environment_` (built by `makeEnvironment`),
    /// and targets the users' and the world's actions (`extra`: more of the environment's).
    function _setUpSuite(RestakingWorld world_, bytes4[] memory extra) internal {
        world = world_;
        weth = world_.weth();
        vault = new SurgeVault(IWETH9(address(weth)), world_.strategy(), admin, guardian, oracle, _defaultParams());
        world_.bind(address(vault));
        handler = new SurgeVaultHandler(vault, weth);
        environment = _makeEnvironment();
        handler.setEnvironment(address(environment));
        bytes4[] memory users = new bytes4[](8);
        users[0] = SurgeVaultHandler.depositETH.selector;
        users[1] = SurgeVaultHandler.depositWETH.selector;
        users[2] = SurgeVaultHandler.requestWithdrawal.selector;
        users[3] = SurgeVaultHandler.claimWithdrawal.selector;
        users[4] = SurgeVaultHandler.claimWithdrawals.selector;
        users[5] = SurgeVaultHandler.instantExit.selector;
        users[6] = SurgeVaultHandler.transfer.selector;
        users[7] = SurgeVaultHandler.claimAsIs.selector;
        bytes4[] memory actions = new bytes4[](10 + extra.length);
        actions[0] = SurgeVaultEnvironment.earnRewards.selector;
        actions[1] = SurgeVaultEnvironment.slash.selector;
        actions[2] = SurgeVaultEnvironment.rebalance.selector;
        actions[3] = SurgeVaultEnvironment.advance.selector;
        actions[4] = SurgeVaultEnvironment.pause.selector;
        actions[5] = SurgeVaultEnvironment.unpause.selector;
        actions[6] = SurgeVaultEnvironment.slashUnreported.selector;
        actions[7] = SurgeVaultEnvironment.syncLoss.selector;
        actions[8] = SurgeVaultEnvironment.observe.selector;
        actions[9] = SurgeVaultEnvironment.reportObserved.selector;
        for (uint256 i; i < extra.length; ++i) actions[10 + i] = extra[i];
        targetSelector(FuzzSelector({addr: address(handler), selectors: users}));
        targetSelector(FuzzSelector({addr: address(environment), selectors: actions}));
        targetContract(address(handler));
        targetContract(address(environment));
    }

    function _makeEnvironment() internal virtual returns (SurgeVaultEnvironment) {
        return new SurgeVaultEnvironment(vault, world, admin, guardian, oracle, handler);
    }

    /// The handlers reach the paths this suite is about, over this layer: a rebalance finalizes a due request the
    /// buffer funds and unstakes for the other; a slash by the layer's own means lowers the rate and cuts the request
    /// still queued, not the finalized one; after the layer's delay a rebalance finalizes the other; both claims pay
    /// their fixed payouts. Every ghost check holds along the way, and the invariants after it.
    function test_handler_finalizesSlashesAndClaims() public {
        handler.depositETH(0, 50 ether);
        handler.depositETH(1, 30 ether);
        handler.requestWithdrawal(0, 1_000); // 5 ETH of actor 0: the buffer (8 ETH) funds it
        handler.requestWithdrawal(1, 5_000); // 15 ETH of actor 1: needs an unstake
        environment.advance(WITHDRAWAL_DELAY + 1);
        environment.rebalance();
        assertEq(handler.ghost_finalized(), 1, "the first request finalized");
        (, , , uint256 unstaking, ) = vault.liquidity();
        assertGt(unstaking, 0, "an unstake for the second");
        uint256 rate = vault.exchangeRate();
        uint256 finalized = vault.previewClaim(1);
        uint256 queued = vault.previewClaim(2);
        environment.slashUnreported(1_000);
        assertEq(environment.ghost_slashes(), 1, "the layer's slash lowered the strategy's view");
        assertLt(vault.exchangeRate(), rate, "the rate fell at once");
        assertLt(vault.previewClaim(2), queued, "the queued request was cut");
        assertEq(vault.previewClaim(1), finalized, "the finalized one was not");
        uint256 delay = world.strategy().withdrawalDelay();
        for (uint256 waited; waited <= delay; waited += 200 * 12) environment.advance(200);
        uint256 cut = vault.previewClaim(2);
        environment.rebalance();
        (, uint256 booked, , , ) = vault.liquidity();
        assertEq(booked, world.strategy().totalAssetsOf(address(vault)), "finalizing booked the slash first");
        assertEq(vault.previewClaim(2), cut, "fixed at the post-slash value");
        assertEq(handler.ghost_finalized(), 2, "the second request finalized once its unstake landed");
        handler.claimWithdrawal(0, 0);
        handler.claimWithdrawal(1, 0);
        assertEq(vault.reservedForClaims(), 0, "both claims paid their reserve");
        assertEq(handler.ghost_badClaims(), 0);
        assertEq(environment.ghost_slashMisses(), 0);
        assertEq(environment.ghost_frozenRebalances(), 0);
        invariant_queueIsEscrowedAndReserved();
        invariant_bufferIsTheWethHeld();
        invariant_noActorGetsMoreThanItsShare();
        invariant_vaultIsSolvent();
    }

    /// Protects the accounting identity: total assets are the buffer plus the strategy position (withdrawals in
    /// flight included), less the gains still locked and a loss the strategy shows that no sync booked yet, so never
    /// more. What the queue is owed is held as escrowed sgETH, still part of the supply, so it is not subtracted here;
    /// finalized requests left the pool with their payout (the reserve, outside the buffer).
    function invariant_totalAssetsAreBufferPlusStrategy() public view {
        (uint256 buffer, uint256 inStrategy, , , ) = vault.liquidity();
        assertLe(vault.totalAssets(), buffer + inStrategy);
    }

    /// Protects the buffer and the reserve from being fictional or leaking: together they are exactly the WETH the
    /// vault holds (nobody donates WETH in this suite; a donation would only make the balance larger, and stay out
    /// of the accounting).
    function invariant_bufferIsTheWethHeld() public view {
        (uint256 buffer, , , , ) = vault.liquidity();
        assertEq(weth.balanceOf(address(vault)), buffer + vault.reservedForClaims());
    }

    /// Protects the queue: the vault escrows exactly the shares of the requests neither claimed nor finalized and
    /// reserves exactly their booked assets (the most their claims can pay); it sets aside exactly the fixed payouts
    /// of the finalized ones not claimed yet.
    function invariant_queueIsEscrowedAndReserved() public view {
        (, , uint256 queued, , ) = vault.liquidity();
        assertEq(queued, handler.ghost_queuedAssets());
        assertEq(vault.balanceOf(address(vault)), handler.ghost_escrowTotal());
        assertEq(vault.reservedForClaims(), handler.ghost_reserved());
    }

    /// Protects the token: the balances of every holder add up to the total supply.
    function invariant_balancesSumToTotalSupply() public view {
        uint256 sum = vault.balanceOf(treasury) + vault.balanceOf(address(vault));
        for (uint256 i; i < handler.actorCount(); ++i) sum += vault.balanceOf(handler.actors(i));
        assertEq(sum, vault.totalSupply());
    }

    /// Protects each holder from the others: no actor gets out (paid or owed by a finalized request, plus what it
    /// still owns, plus what it gave away) more than it put in (deposited, plus what it was given) plus its pro-rata
    /// share of the pool's gains, minus its pro-rata share of the losses. Rounding of a few wei per action is
    /// tolerated.
    function invariant_noActorGetsMoreThanItsShare() public view {
        uint256 tolerance = 10 + 4 * (handler.ghost_actions() + handler.ghost_reports());
        for (uint256 i; i < handler.actorCount(); ++i) {
            (SurgeVaultHandler.Ghost memory g, uint256 value) = handler.ghostOf(handler.actors(i));
            uint256 outSide = g.received + value + g.transferredOut + g.loss;
            uint256 inSide = g.deposited + g.transferredIn + g.gain;
            assertLe(outSide, inSide + tolerance);
        }
    }

    /// Protects solvency: the WETH held plus what the strategy holds for the vault cover the accounted assets and the
    /// reserve of finalized requests, but for a slash that no claim, instant exit, report or `syncLoss` has booked
    /// yet (reports never exceed the strategy's own view).
    function invariant_vaultIsSolvent() public view {
        uint256 real = weth.balanceOf(address(vault)) + world.strategy().totalAssetsOf(address(vault));
        uint256 owed = vault.totalAssets() + vault.reservedForClaims();
        assertGe(real + 10 + handler.ghost_actions() + handler.ghost_unsyncedLoss(), owed);
    }

    /// Protects holders from fake losses and from losses that wait: the strategy position the vault books never falls
    /// below what the strategy shows by more than the gains no report has booked yet, whatever happened between the
    /// oracle's look and its report; and it never exceeds what the strategy shows by more than a slash no sync point
    /// has met yet. Every report and loss sync booked the strategy down only to its on-chain view.
    function invariant_bookedStrategyTracksItsOnChainView() public view {
        (, uint256 inStrategy, , , ) = vault.liquidity();
        uint256 strategyView = world.strategy().totalAssetsOf(address(vault));
        uint256 tolerance = 10 + handler.ghost_actions();
        assertGe(inStrategy + handler.ghost_unbookedGain() + tolerance, strategyView, "booked below the view");
        assertLe(inStrategy, strategyView + handler.ghost_unsyncedLoss() + tolerance, "a loss waits");
        assertEq(environment.ghost_badBookings(), 0);
    }

    /// Protects the guardian's pause and the queue's funding: while deposits (or withdrawals) are paused, no deposit
    /// or routing (or request, claim, instant exit, rebalance) ever succeeded; and nothing but a withdrawal pause ever
    /// blocked a rebalance, nor anything but a deposit pause a deposit (issue 14's hole: a strategy refusing the
    /// deposit made `rebalance` revert).
    function invariant_pauseBlocksEveryUserPath() public view {
        assertEq(handler.ghost_pauseBypasses(), 0);
        assertEq(environment.ghost_frozenRebalances(), 0);
        assertEq(handler.ghost_refusedDeposits(), 0);
    }

    /// Protects the queue's status: a request that reads Claimable, and that the buffer alone covers (or that is
    /// finalized), is paid when claimed with no help (no rebalance, no waiting) unless withdrawals are paused.
    function invariant_claimableMeansPayable() public view {
        assertEq(handler.ghost_unpaidClaimable(), 0);
    }

    /// Protects holders from dilution: only a report (or a slash the strategy shows) can lower the exchange rate.
    function invariant_rateFallsOnlyOnReports() public view {
        assertEq(handler.ghost_rateDrops(), 0);
    }

    /// Protects the min rule and finalization: a claim pays min(booked assets, value of the escrowed shares), never
    /// more; a finalized request was fixed at exactly that at its finalization, and its claim pays exactly it.
    function invariant_claimsPayAtMostBookedAndValue() public view {
        assertEq(handler.ghost_badClaims(), 0);
    }

    /// Protects holders from stale exits (issue 14): a slash reaches the rate at once, net only of the gains still
    /// locked, and cuts every queued request not finalized with the rate (pro rata), never one already finalized.
    function invariant_slashReachesTheRateAndTheQueue() public view {
        assertEq(environment.ghost_slashMisses(), 0);
        assertEq(world.refusedSlashes(), 0, "the layer slashed what it was asked");
    }

    /// Protects the unstaking bookkeeping: nothing is counted as in flight when the layer holds no withdrawal of the
    /// vault.
    function invariant_unstakingIsBackedByQueuedShares() public view {
        (, , , uint256 unstaking, ) = vault.liquidity();
        if (!world.hasPendingWithdrawals(address(vault))) assertEq(unstaking, 0);
    }
}

/// @notice The invariant suite over `MockRestakingLayer`: slashes of an exact share of the pool at any moment, with
/// no epoch or capture window (a fault Symbiotic cannot produce on demand), and a 50-second withdrawal delay.
contract SurgeVaultInvariantsTest is SurgeVaultInvariantsBase {
    function setUp() public {
        _setUpSuite(new MockWorld(new MockWETH(), STRATEGY_DELAY), new bytes4[](0));
    }
}

/// @notice The invariant suite over Symbiotic's own contracts through SymbioticStrategy: slashes through Symbiotic's
/// slasher (active stake and pending withdrawals cut pro rata), rewards restaked into the Symbiotic vault, one-hour
/// epochs (a withdrawal waits for the end of the next), and Symbiotic refusing deposits at times.
contract SurgeVaultSymbioticInvariantsTest is SurgeVaultInvariantsBase {
    uint48 internal constant EPOCH = 1 hours;

    function setUp() public {
        vm.warp(1_700_000_000);
        SymbioticWorld sym = new SymbioticWorld(new MockWETH(), EPOCH);
        bytes4[] memory extra = new bytes4[](1);
        extra[0] = SymbioticEnvironment.refuseDeposits.selector;
        _setUpSuite(sym, extra);
    }

    function _makeEnvironment() internal override returns (SurgeVaultEnvironment) {
        return new SymbioticEnvironment(vault, SymbioticWorld(address(world)), admin, guardian, oracle, handler);
    }
}
