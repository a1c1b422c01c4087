// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SurgeVaultBase} from "./SurgeVaultBase.sol";
import {Test} from "forge-std/Test.sol";
import {MockRestakingLayer} from "../../../contracts/mocks/MockRestakingLayer.sol";
import {MockWETH} from "../../../contracts/mocks/MockWETH.sol";
import {SurgeVault} from "../../../contracts/vault/SurgeVault.sol";
import {ISurgeVaultTypes} from "../../../contracts/interfaces/ISurgeVault.sol";

/// @notice Drives SurgeVault's users for the invariant suite: four actors deposit (ETH and WETH), request and claim
/// withdrawals, exit instantly and transfer sgETH. {SurgeVaultEnvironment} drives the rest (rewards, slashing,
/// reports, rebalancing, time, pauses). Inputs are bounded so that most calls do something, and every call is tried
/// even while paused, to prove the pause holds.
/// @dev Ghost accounting of each actor's fair share: ETH deposited and received, value moved by transfers, and
/// `gain`/`loss`: the actor's pro-rata part of every change of the pool
/// that no single actor caused (reported rewards net of the fee, reported losses, exit fees and forgone rewards
/// left behind, unreported gains realized by unstaking). Pro rata means by shares held, escrowed requests included,
/// over the supply plus the vault's 1,000 virtual shares, exactly as the vault values shares.
contract SurgeVaultHandler is Test {
    uint256 private constant BPS = 10_000;
    uint256 private constant VIRTUAL_SHARES = 1e3;
    uint256 private constant STRATEGY_DELAY = 50;

    SurgeVault public immutable vault;
    MockWETH public immutable weth;
    MockRestakingLayer public immutable layer;

    address[4] public actors;
    /// @dev The only caller of the `record` hooks; set once by the deployer.
    address public environment;
    address private immutable _deployer;

    error NotEnvironment();

    struct Pending {
        uint256 id;
        uint256 shares;
        uint256 booked;
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

    constructor(
        SurgeVault vault_,
        MockWETH weth_,
        MockRestakingLayer layer_
    ) {
        vault = vault_;
        weth = weth_;
        layer = layer_;
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
        } catch {}
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
            _pending[actor].push(Pending(id, shares, booked));
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
        _ensureLiquidity(p.booked);

        (, bool withdrawalsPaused) = vault.paused();
        (uint256 t0, uint256 s0) = _totals();
        uint256 loss = _pendingLoss();
        uint256 given = (p.shares * (t0 - loss + 1)) / (s0 + VIRTUAL_SHARES);
        uint256 expected = given < p.booked ? given : p.booked;
        vm.prank(actor);
        try vault.claimWithdrawal(p.id, actor, 0) returns (uint256 paid) {
            t0 = _onSynced(t0, loss, s0);
            _onSuccess(withdrawalsPaused, t0, s0);
            if (paid != expected || paid > p.booked || paid > given) ++ghost_badClaims;
            _ghost[actor].received += paid;
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
        mustPay = mustPay && vault.previewClaim(p.id) <= buffer;
        (uint256 t0, uint256 s0) = _totals();
        uint256 loss = _pendingLoss();
        uint256 given = (p.shares * (t0 - loss + 1)) / (s0 + VIRTUAL_SHARES);
        vm.prank(actor);
        try vault.claimWithdrawal(p.id, actor, 0) returns (uint256 paid) {
            t0 = _onSynced(t0, loss, s0);
            _onSuccess(withdrawalsPaused, t0, s0);
            if (paid > p.booked || paid > given) ++ghost_badClaims;
            _ghost[actor].received += paid;
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
            _ghost[actor].received += paid;
            while (list.length != 0) _release(actor, list.length - 1);
            _distributeChange(t0, given);
        } catch {}
    }

    /// The value of the batch's shares at the current totals (`given`), and what claiming them in order pays.
    function _expectedBatch(
        Pending[] storage list,
        uint256 total,
        uint256 supply
    ) private view returns (uint256 given, uint256 expected) {
        uint256 t = total;
        uint256 s = supply;
        for (uint256 i; i < list.length; ++i) {
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

    /// The environment changed the pool (a report, a rebalance): share the change among the actors.
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
        uint256 t0 = vault.totalAssets();
        try vault.rebalance() {
            _distributeChange(t0, 0);
        } catch {}
        // The strategy's delay is a time; locked gains vest meanwhile: share that among the holders.
        uint256 t1 = vault.totalAssets();
        vm.roll(block.number + STRATEGY_DELAY);
        vm.warp(block.timestamp + STRATEGY_DELAY);
        _distributeChange(t1, 0);
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

    function _release(address actor, uint256 index) private {
        Pending[] storage list = _pending[actor];
        Pending memory p = list[index];
        _ghost[actor].escrowedShares -= p.shares;
        ghost_escrowTotal -= p.shares;
        ghost_queuedAssets -= p.booked;
        list[index] = list[list.length - 1];
        list.pop();
    }
}

/// @notice Drives everything around the users: the restaking layer earns rewards and is slashed, each followed by a
/// report; anyone rebalances; time passes; the guardian pauses and the admin unpauses. Pool changes are reported to
/// the {SurgeVaultHandler}, which shares them among the actors.
contract SurgeVaultEnvironment is Test {
    uint256 private constant BPS = 10_000;

    SurgeVault public immutable vault;
    MockWETH public immutable weth;
    MockRestakingLayer public immutable layer;
    SurgeVaultHandler public immutable handler;
    address private immutable _admin;
    address private immutable _guardian;
    address private immutable _oracle;

    uint256 private _observedGain;
    bool private _observed;

    /// @dev Reports or loss syncs that booked the strategy below what it shows, or above it.
    uint256 public ghost_badBookings;
    /// @dev Rebalances that reverted while only deposits were paused (which would freeze the queue).
    uint256 public ghost_frozenRebalances;

    constructor(
        SurgeVault vault_,
        MockWETH weth_,
        MockRestakingLayer layer_,
        address admin,
        address guardian,
        address oracle,
        SurgeVaultHandler handler_
    ) {
        vault = vault_;
        weth = weth_;
        layer = layer_;
        _admin = admin;
        _guardian = guardian;
        _oracle = oracle;
        handler = handler_;
    }

    // ---------------------------------------------------------------- the restaking layer and the oracle

    /// Rewards on what is staked in the layer (up to twice one report's bound), then a report.
    function earnRewards(uint256 bps) external {
        (, uint256 staked) = layer.totals();
        uint256 amount = (staked * bound(bps, 1, 100)) / BPS;
        if (amount == 0) return;
        uint256 before = layer.totalAssetsOf(address(vault));
        uint256 t0 = vault.totalAssets();
        uint256 s0 = vault.totalSupply();
        vm.deal(_admin, amount);
        vm.startPrank(_admin);
        weth.deposit{value: amount}();
        weth.approve(address(layer), amount);
        layer.addRewards(amount);
        vm.stopPrank();
        // After a slash no sync has booked, rewards first make up the loss that totalAssets shows.
        handler.recordPoolChange(t0, vault.totalAssets(), s0, false);
        uint256 gain = layer.totalAssetsOf(address(vault)) - before;
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
        uint256 strategyView = layer.totalAssetsOf(address(vault));
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

    function _slash(uint256 bps) private {
        uint256 before = layer.totalAssetsOf(address(vault));
        uint256 t0 = vault.totalAssets();
        uint256 s0 = vault.totalSupply();
        vm.prank(_admin);
        layer.slash(bound(bps, 1, 3_000));
        // totalAssets values the strategy at its on-chain view: the holders bear the slash now, synced or not.
        handler.recordPoolChange(t0, vault.totalAssets(), s0, false);
        uint256 drop = before - layer.totalAssetsOf(address(vault));
        uint256 gain = handler.ghost_unbookedGain();
        handler.recordStrategyChange(gain > drop ? gain - drop : 0, handler.ghost_unsyncedLoss() + drop);
    }

    /// After a report or a loss sync that found `a0` booked for the strategy: the booking fell only to what the
    /// strategy shows, and never rose above it.
    function _checkBooking(uint256 a0) private {
        (, uint256 a1, , , ) = vault.liquidity();
        uint256 strategyView = layer.totalAssetsOf(address(vault));
        if (a1 < a0 && a1 != strategyView) ++ghost_badBookings;
        if (a1 > a0 && a1 > strategyView) ++ghost_badBookings;
        uint256 gain = strategyView > a1 ? strategyView - a1 : 0;
        uint256 bound_ = handler.ghost_unbookedGain();
        handler.recordStrategyChange(gain < bound_ ? gain : bound_, 0);
    }

    /// Anyone rebalances. A withdrawal pause blocks it; a deposit pause blocks only routing and must never keep the
    /// queue from being funded.
    function rebalance() external {
        (bool depositsPaused, bool withdrawalsPaused) = vault.paused();
        uint256 t0 = vault.totalAssets();
        uint256 s0 = vault.totalSupply();
        (, uint256 a0, , , ) = vault.liquidity();
        try vault.rebalance() {
            handler.recordAction(withdrawalsPaused, t0, s0);
            (, uint256 a1, , , ) = vault.liquidity();
            if (depositsPaused && a1 > a0) handler.recordAction(true, t0, s0); // routed through a deposit pause
            handler.recordPoolChange(t0, vault.totalAssets(), vault.totalSupply(), false);
        } catch {
            if (depositsPaused && !withdrawalsPaused) ++ghost_frozenRebalances;
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

}

/// @notice Invariants of SurgeVault under random sequences of deposits, requests, claims, instant exits,
/// transfers, rewards, slashing, reports, rebalancing, time and pauses (see {SurgeVaultHandler} and
/// {SurgeVaultEnvironment}). Depth and runs
/// come from hardhat.config.ts; `npm run test:deep` runs a much longer campaign.
contract SurgeVaultInvariantsTest is SurgeVaultBase {
    SurgeVaultEnvironment internal environment;
    SurgeVaultHandler internal handler;

    function setUp() public {
        _deploy(_defaultParams());
        handler = new SurgeVaultHandler(vault, weth, layer);
        environment = new SurgeVaultEnvironment(vault, weth, layer, admin, guardian, oracle, handler);
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
        bytes4[] memory world = new bytes4[](10);
        world[0] = SurgeVaultEnvironment.earnRewards.selector;
        world[1] = SurgeVaultEnvironment.slash.selector;
        world[2] = SurgeVaultEnvironment.rebalance.selector;
        world[3] = SurgeVaultEnvironment.advance.selector;
        world[4] = SurgeVaultEnvironment.pause.selector;
        world[5] = SurgeVaultEnvironment.unpause.selector;
        world[6] = SurgeVaultEnvironment.slashUnreported.selector;
        world[7] = SurgeVaultEnvironment.syncLoss.selector;
        world[8] = SurgeVaultEnvironment.observe.selector;
        world[9] = SurgeVaultEnvironment.reportObserved.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: users}));
        targetSelector(FuzzSelector({addr: address(environment), selectors: world}));
        targetContract(address(handler));
        targetContract(address(environment));
    }

    /// Protects the accounting identity: total assets are the buffer plus the strategy position (withdrawals in
    /// flight included), less the gains still locked and a loss the strategy shows that no sync booked yet, so never
    /// more. What the queue is owed is held as escrowed sgETH, still part of the supply, so it is not subtracted here.
    function invariant_totalAssetsAreBufferPlusStrategy() public view {
        (uint256 buffer, uint256 inStrategy, , , ) = vault.liquidity();
        assertLe(vault.totalAssets(), buffer + inStrategy);
    }

    /// Protects the buffer from being fictional or leaking: it is exactly the WETH the vault holds (nobody donates
    /// WETH in this suite; a donation would only make the balance larger, and stay out of the accounting).
    function invariant_bufferIsTheWethHeld() public view {
        (uint256 buffer, , , , ) = vault.liquidity();
        assertEq(weth.balanceOf(address(vault)), buffer);
    }

    /// Protects the queue: the vault escrows exactly the shares of unclaimed requests and reserves exactly their
    /// booked assets (the most their claims can pay).
    function invariant_queueIsEscrowedAndReserved() public view {
        (, , uint256 queued, , ) = vault.liquidity();
        assertEq(queued, handler.ghost_queuedAssets());
        assertEq(vault.balanceOf(address(vault)), handler.ghost_escrowTotal());
    }

    /// Protects the token: the balances of every holder add up to the total supply.
    function invariant_balancesSumToTotalSupply() public view {
        uint256 sum = vault.balanceOf(treasury) + vault.balanceOf(address(vault));
        for (uint256 i; i < handler.actorCount(); ++i) sum += vault.balanceOf(handler.actors(i));
        assertEq(sum, vault.totalSupply());
    }

    /// Protects each holder from the others: no actor gets out (paid, plus what it still owns, plus what it gave
    /// away) more than it put in (deposited, plus what it was given) plus its pro-rata share of the pool's gains,
    /// minus its pro-rata share of the losses. Rounding of a few wei per action is tolerated.
    function invariant_noActorGetsMoreThanItsShare() public view {
        uint256 tolerance = 10 + 4 * (handler.ghost_actions() + handler.ghost_reports());
        for (uint256 i; i < handler.actorCount(); ++i) {
            (SurgeVaultHandler.Ghost memory g, uint256 value) = handler.ghostOf(handler.actors(i));
            uint256 outSide = g.received + value + g.transferredOut + g.loss;
            uint256 inSide = g.deposited + g.transferredIn + g.gain;
            assertLe(outSide, inSide + tolerance);
        }
    }

    /// Protects solvency: the WETH held plus what the strategy holds for the vault cover the accounted assets, but for
    /// a slash that no claim, instant exit, report or `syncLoss` has booked yet (reports never exceed the strategy's
    /// own view).
    function invariant_vaultIsSolvent() public view {
        uint256 real = weth.balanceOf(address(vault)) + layer.totalAssetsOf(address(vault));
        assertGe(real + 10 + handler.ghost_actions() + handler.ghost_unsyncedLoss(), vault.totalAssets());
    }

    /// Protects holders from fake losses and from losses that wait: the strategy position the vault books never falls
    /// below what the strategy shows by more than the gains no report has booked yet, whatever happened between the
    /// oracle's look and its report; and it never exceeds what the strategy shows by more than a slash no sync point
    /// has met yet. Every report and loss sync booked the strategy down only to its on-chain view.
    function invariant_bookedStrategyTracksItsOnChainView() public view {
        (, uint256 inStrategy, , , ) = vault.liquidity();
        uint256 strategyView = layer.totalAssetsOf(address(vault));
        uint256 tolerance = 10 + handler.ghost_actions();
        assertGe(inStrategy + handler.ghost_unbookedGain() + tolerance, strategyView, "booked below the view");
        assertLe(inStrategy, strategyView + handler.ghost_unsyncedLoss() + tolerance, "a loss waits");
        assertEq(environment.ghost_badBookings(), 0);
    }

    /// Protects the guardian's pause: while deposits (or withdrawals) are paused, no deposit or routing (or request,
    /// claim, instant exit, rebalance) ever succeeded; and a deposit pause alone never blocked a rebalance, so the
    /// queue can always be funded.
    function invariant_pauseBlocksEveryUserPath() public view {
        assertEq(handler.ghost_pauseBypasses(), 0);
        assertEq(environment.ghost_frozenRebalances(), 0);
    }

    /// Protects the queue's status: a request that reads Claimable, and that the buffer alone covers, is paid when
    /// claimed with no help (no rebalance, no waiting) unless withdrawals are paused.
    function invariant_claimableMeansPayable() public view {
        assertEq(handler.ghost_unpaidClaimable(), 0);
    }

    /// Protects holders from dilution: only a report can lower the exchange rate.
    function invariant_rateFallsOnlyOnReports() public view {
        assertEq(handler.ghost_rateDrops(), 0);
    }

    /// Protects the min rule: a claim pays min(booked assets, value of the escrowed shares), never more.
    function invariant_claimsPayAtMostBookedAndValue() public view {
        assertEq(handler.ghost_badClaims(), 0);
    }

    /// Protects the unstaking bookkeeping: nothing is counted as in flight when the strategy holds no queued shares.
    function invariant_unstakingIsBackedByQueuedShares() public view {
        (, , , uint256 unstaking, ) = vault.liquidity();
        if (layer.queuedSharesOf(address(vault)) == 0) assertEq(unstaking, 0);
    }
}
