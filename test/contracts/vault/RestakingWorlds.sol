// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IRestakingStrategy} from "../../../contracts/interfaces/IRestakingStrategy.sol";
import {MockRestakingLayer} from "../../../contracts/mocks/MockRestakingLayer.sol";
import {MockWETH} from "../../../contracts/mocks/MockWETH.sol";
import {ISymbioticVault} from "../../../contracts/vault/strategies/ISymbioticVault.sol";
import {SymbioticStrategy} from "../../../contracts/vault/strategies/SymbioticStrategy.sol";
import {ISymbioticVaultAdmin, SymbioticDeployment} from "./SymbioticDeployment.sol";

/// @notice The restaking layer under SurgeVault, as the vault's invariant suite drives it: rewards and slashing by
/// the layer's own means, and what the layer holds for the vault. One implementation over `MockRestakingLayer`, one
/// over Symbiotic's own contracts through `SymbioticStrategy`, so that one handler runs over both.
abstract contract RestakingWorld is Test {
    uint256 internal constant BPS = 10_000;

    MockWETH public immutable weth;
    /// @dev Slashes the layer refused or cut short (a suite that slashes through it must see none).
    uint256 public refusedSlashes;

    constructor(MockWETH weth_) {
        weth = weth_;
    }

    /// @notice The vault's strategy.
    function strategy() public view virtual returns (IRestakingStrategy);

    /// @notice Restaking rewards of `bps` of what the layer holds, reaching the vault's position.
    function reward(uint256 bps) external {
        uint256 amount = (_staked() * bps) / BPS;
        if (amount != 0) rewardAmount(amount);
    }

    /// @notice Restaking rewards of `amount`, reaching the vault's position.
    function rewardAmount(uint256 amount) public virtual;

    /// @notice Binds the strategy to `vault` where the layer needs it (Symbiotic's adapter serves one staker).
    function bind(address vault) external virtual {}

    /// @notice Slashing of `bps` of what the layer holds, by the layer's own path (pending withdrawals pro rata).
    function slash(uint256 bps) external virtual;

    /// @notice Whether the layer still holds withdrawals of `staker` not completed.
    function hasPendingWithdrawals(address staker) external view virtual returns (bool);

    /// @dev What the layer holds in all (rewards are a share of it).
    function _staked() internal view virtual returns (uint256);

    /// @dev Wraps `amount` ETH into WETH for this contract and approves `spender`.
    function _wrap(uint256 amount, address spender) internal {
        vm.deal(address(this), amount);
        weth.deposit{value: amount}();
        IERC20(address(weth)).approve(spender, amount);
    }
}

/// @notice `MockRestakingLayer`: a slash of an exact share of the pool at any moment, with no epoch or capture window.
contract MockWorld is RestakingWorld {
    MockRestakingLayer public immutable layer;

    /// @param delay The layer's withdrawal delay, in seconds. This contract owns the layer (it slashes).
    constructor(MockWETH weth_, uint256 delay) RestakingWorld(weth_) {
        layer = new MockRestakingLayer(IERC20(address(weth_)), delay, address(this));
    }

    function strategy() public view override returns (IRestakingStrategy) {
        return layer;
    }

    function rewardAmount(uint256 amount) public override {
        _wrap(amount, address(layer));
        layer.addRewards(amount);
    }

    function _staked() internal view override returns (uint256 staked) {
        (, staked) = layer.totals();
    }

    function slash(uint256 bps) external override {
        layer.slash(bps);
    }

    function hasPendingWithdrawals(address staker) external view override returns (bool) {
        return layer.queuedSharesOf(staker) != 0;
    }
}

/// @notice Symbiotic's own contracts (deployed by {SymbioticDeployment}): rewards are deposited into the Symbiotic
/// vault on the strategy's behalf; a slash goes through Symbiotic's slasher, which cuts active stake and pending
/// withdrawals pro rata; its deposit limit can make Symbiotic refuse deposits.
contract SymbioticWorld is RestakingWorld, SymbioticDeployment {
    Symbiotic internal _sym;
    SymbioticStrategy public immutable symbioticStrategy;

    constructor(MockWETH weth_, uint48 epochDuration) RestakingWorld(weth_) {
        _sym = _deploySymbiotic(address(weth_), epochDuration, address(this));
        symbioticStrategy = new SymbioticStrategy(ISymbioticVault(_sym.vault));
    }

    /// @notice Binds the strategy to the vault (this contract deployed it).
    function bind(address vault) external override {
        symbioticStrategy.bindStaker(vault);
    }

    function strategy() public view override returns (IRestakingStrategy) {
        return symbioticStrategy;
    }

    function rewardAmount(uint256 amount) public override {
        _wrap(amount, _sym.vault);
        ISymbioticVaultAdmin(_sym.vault).deposit(address(symbioticStrategy), amount);
    }

    function _staked() internal view override returns (uint256) {
        return ISymbioticVaultAdmin(_sym.vault).activeStake();
    }

    /// @dev Of the stake slashable at a capture a second ago (active plus the withdrawals of that epoch and the next).
    function slash(uint256 bps) external override {
        (uint256 asked, uint256 slashed) = _symbioticSlash(_sym, bps);
        if (slashed != asked) ++refusedSlashes;
    }

    function hasPendingWithdrawals(address) external view override returns (bool) {
        return symbioticStrategy.pendingEpochs().length != 0;
    }

    /// @notice Symbiotic's vault refuses every deposit (a deposit limit at its current active stake), or accepts
    /// them again.
    function refuseDeposits(bool refuse) external {
        ISymbioticVaultAdmin v = ISymbioticVaultAdmin(_sym.vault);
        // Symbiotic refuses to set a value it already has.
        if (v.isDepositLimit() != refuse) v.setIsDepositLimit(refuse);
        uint256 full = v.activeStake();
        if (refuse && v.depositLimit() != full) v.setDepositLimit(full);
    }

    function symbiotic() external view returns (Symbiotic memory) {
        return _sym;
    }
}
