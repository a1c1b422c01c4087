// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IRestakingStrategy} from "../interfaces/IRestakingStrategy.sol";

/// @title A restaking layer for the unit tests that need a fault Symbiotic cannot produce
/// @notice The devnet, the deploys and the vault's TypeScript suites restake through `SymbioticStrategy` into
/// Symbiotic's own contracts (test/vault/fixture.ts). This mock stays only where a test needs what Symbiotic cannot
/// do on demand: a withdrawal delay changed after deployment (two review tests), a slash of an exact share of the
/// pool at any moment with no epoch or capture window (the Solidity fuzz, invariant, inflation and routing suites
/// run over both: over this mock and over Symbiotic's own contracts, deployed from their 0.8.25 artifacts by
/// test/contracts/vault/SymbioticDeployment.sol), its own unit test, and the benches' local-layer figures kept for
/// comparison with earlier measurements. Stakers deposit the
/// underlying for shares; withdrawals are queued and completed after `withdrawalDelay` seconds; queued shares stay
/// in the pool until completed, so rewards (`addRewards`, anyone) raise them and slashing (`slash`, owner) lowers
/// them like any other share. The accounted assets ignore tokens sent here directly.
contract MockRestakingLayer is IRestakingStrategy, Ownable {
    using SafeERC20 for IERC20;
    using Math for uint256;

    /// @notice Slashed assets are sent here (burned).
    address public constant SLASH_SINK = 0x000000000000000000000000000000000000dEaD;
    uint256 private constant VIRTUAL_SHARES = 1e3;

    /// @notice `from` added `assets` of rewards, raising the value of every share.
    event RewardsAdded(address indexed from, uint256 assets);
    /// @notice `bps` of the pool, `assets` in all, were slashed.
    event Slashed(uint256 bps, uint256 assets);
    /// @notice Withdrawals queued from now on complete after `delay` seconds.
    event WithdrawalDelayUpdated(uint256 delay);

    error SlashTooLarge(uint256 bps);

    struct Withdrawal {
        address staker;
        uint64 completableAt;
        uint256 shares;
    }

    /// @dev Invariant: shares == sum of active and queued shares of all stakers; assets <= token balance.
    struct Totals {
        uint128 shares;
        uint128 assets;
    }

    IERC20 private immutable _token;
    uint256 private _delay;
    Totals private _totals;
    mapping(address staker => uint256) private _shares;
    mapping(address staker => uint256) private _queuedShares;
    mapping(bytes32 root => Withdrawal) private _withdrawals;
    uint256 private _nonce;

    constructor(IERC20 token, uint256 delay, address owner) Ownable(owner) {
        _token = token;
        _delay = delay;
    }

    /// @inheritdoc IRestakingStrategy
    function deposit(uint256 assets) external returns (uint256 shares) {
        shares = assetsToShares(assets);
        if (shares == 0) revert StrategyZeroAmount();
        _token.safeTransferFrom(msg.sender, address(this), assets);
        Totals memory t = _totals;
        _totals = Totals(t.shares + uint128(shares), t.assets + uint128(assets));
        _shares[msg.sender] += shares;
        emit StrategyDeposited(msg.sender, assets, shares);
    }

    /// @inheritdoc IRestakingStrategy
    function queueWithdrawal(uint256 shares) external returns (bytes32 withdrawalRoot) {
        if (shares == 0) revert StrategyZeroAmount();
        uint256 available = _shares[msg.sender];
        if (shares > available) revert InsufficientStrategyShares(msg.sender, shares, available);
        _shares[msg.sender] = available - shares;
        _queuedShares[msg.sender] += shares;
        withdrawalRoot = keccak256(abi.encode(msg.sender, _nonce++, shares, block.number));
        uint256 completable = block.timestamp + _delay;
        _withdrawals[withdrawalRoot] = Withdrawal(msg.sender, uint64(completable), shares);
        emit StrategyWithdrawalQueued(withdrawalRoot, msg.sender, shares, completable);
    }

    /// @inheritdoc IRestakingStrategy
    function completeWithdrawal(bytes32 withdrawalRoot) external returns (uint256 assets) {
        Withdrawal memory w = _withdrawals[withdrawalRoot];
        if (w.staker == address(0)) revert WithdrawalNotFound(withdrawalRoot);
        if (w.staker != msg.sender) revert NotWithdrawalStaker(withdrawalRoot, msg.sender);
        if (block.timestamp < w.completableAt) revert WithdrawalNotCompletable(withdrawalRoot, w.completableAt);
        assets = sharesToAssets(w.shares);
        Totals memory t = _totals;
        _totals = Totals(t.shares - uint128(w.shares), t.assets - uint128(assets));
        _queuedShares[msg.sender] -= w.shares;
        delete _withdrawals[withdrawalRoot];
        emit StrategyWithdrawalCompleted(withdrawalRoot, msg.sender, assets);
        _token.safeTransfer(msg.sender, assets);
    }

    /// @notice Pulls `assets` from the caller as rewards: every share, queued ones included, gains value.
    function addRewards(uint256 assets) external {
        if (assets == 0) revert StrategyZeroAmount();
        _token.safeTransferFrom(msg.sender, address(this), assets);
        _totals.assets += uint128(assets);
        emit RewardsAdded(msg.sender, assets);
    }

    /// @notice Owner: slashes `bps` of the pool; every share, queued ones included, loses as much value.
    function slash(uint256 bps) external onlyOwner returns (uint256 assets) {
        if (bps > 10_000) revert SlashTooLarge(bps);
        assets = (uint256(_totals.assets) * bps) / 10_000;
        _totals.assets -= uint128(assets);
        emit Slashed(bps, assets);
        _token.safeTransfer(SLASH_SINK, assets);
    }

    /// @notice Owner: sets the delay, in seconds, of withdrawals queued from now on.
    function setWithdrawalDelay(uint256 delay) external onlyOwner {
        _delay = delay;
        emit WithdrawalDelayUpdated(delay);
    }

    /// @inheritdoc IRestakingStrategy
    function underlying() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IRestakingStrategy
    function withdrawalDelay() external view returns (uint256) {
        return _delay;
    }

    /// @inheritdoc IRestakingStrategy
    function sharesOf(address staker) external view returns (uint256) {
        return _shares[staker];
    }

    /// @notice Shares of `staker` queued for withdrawal and not completed yet.
    function queuedSharesOf(address staker) external view returns (uint256) {
        return _queuedShares[staker];
    }

    /// @inheritdoc IRestakingStrategy
    function sharesToAssets(uint256 shares) public view returns (uint256) {
        Totals memory t = _totals;
        return shares.mulDiv(uint256(t.assets) + 1, uint256(t.shares) + VIRTUAL_SHARES);
    }

    /// @inheritdoc IRestakingStrategy
    function assetsToShares(uint256 assets) public view returns (uint256) {
        Totals memory t = _totals;
        return assets.mulDiv(uint256(t.shares) + VIRTUAL_SHARES, uint256(t.assets) + 1);
    }

    /// @inheritdoc IRestakingStrategy
    function totalAssetsOf(address staker) external view returns (uint256) {
        return sharesToAssets(_shares[staker] + _queuedShares[staker]);
    }

    /// @inheritdoc IRestakingStrategy
    function completableAt(bytes32 withdrawalRoot) external view returns (uint256) {
        return _withdrawals[withdrawalRoot].completableAt;
    }

    /// @notice All shares (active and queued) and the assets backing them.
    function totals() external view returns (uint256 shares, uint256 assets) {
        return (_totals.shares, _totals.assets);
    }
}
