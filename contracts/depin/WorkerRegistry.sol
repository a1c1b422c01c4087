// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IWorkerRegistry} from "../interfaces/IWorkerRegistry.sol";

/// @title WorkerRegistry
/// @notice Workers bond sgETH to attest to epoch results. A bond of at least `minBond` makes a worker eligible; it
/// can grow at any time; leaving takes `requestExit` (eligibility ends at once) and, `unbondingDelay` blocks later,
/// `withdraw`. Until the withdrawal the bond stays slashable, so a worker cannot attest to a wrong root and run from
/// the challenge. Only the settlement contract slashes, and a slash is burned whole.
/// @dev [CAUTION] The settlement contract is bound once, by the deployer, after both are deployed (each needs the
/// other's address). Until then nothing can be slashed or attested.
contract WorkerRegistry is IWorkerRegistry, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    uint256 private constant BPS = 10_000;
    /// @dev Slashed sgETH is sent here: out of circulation for good.
    address private constant BURN_ADDRESS = 0x000000000000000000000000000000000000dEaD;

    IERC20 private immutable _share;
    uint256 private immutable _minBond;
    uint256 private immutable _unbondingDelay;
    address private immutable _deployer;
    address private _settlement;

    /// @dev Invariant: `_share.balanceOf(this) >= _totalBonded == sum of _workers[w].bond`; every bond is held here.
    mapping(address worker => Worker) private _workers;
    uint256 private _totalBonded;
    /// @dev Invariant: `_eligibleStake == sum of bonds of workers that are registered, not exiting, never slashed`
    /// (exactly the workers `isEligible` names: a bond only falls below `minBond` by a slash). The quorum's
    /// denominator: slashed and exiting stake never counts against honest workers.
    uint256 private _eligibleStake;
    mapping(address worker => uint256) private _slashed;

    /// @param share sgETH
    /// @param minBond_ smallest bond that lets a worker attest (sgETH base units, 21 decimals)
    /// @param unbondingDelay_ blocks between `requestExit` and `withdraw`; must exceed the challenge window
    constructor(IERC20 share, uint256 minBond_, uint256 unbondingDelay_) {
        if (address(share) == address(0)) revert ZeroAddress();
        if (minBond_ == 0 || unbondingDelay_ == 0) revert InvalidAmount(0);
        _share = share;
        _minBond = minBond_;
        _unbondingDelay = unbondingDelay_;
        _deployer = msg.sender;
    }

    modifier onlySettlement() {
        if (msg.sender != _settlement || msg.sender == address(0)) revert NotSettlement(msg.sender);
        _;
    }

    /// @inheritdoc IWorkerRegistry
    function bindSettlement(address settlement_) external {
        if (msg.sender != _deployer || _settlement != address(0)) revert SettlementBindingClosed(msg.sender);
        if (settlement_ == address(0)) revert ZeroAddress();
        _settlement = settlement_;
        emit SettlementBound(settlement_);
    }

    /// @inheritdoc IWorkerRegistry
    function register(uint256 amount) external nonReentrant {
        Worker storage w = _workers[msg.sender];
        if (w.registered) revert AlreadyRegistered(msg.sender);
        // A worker slashed once never attests again, also not by withdrawing and registering afresh.
        if (_slashed[msg.sender] != 0) revert NotEligible(msg.sender);
        if (amount < _minBond) revert BondBelowMinimum(amount, _minBond);
        w.registered = true;
        w.bond = amount.toUint128();
        _totalBonded += amount;
        _eligibleStake += amount;
        _share.safeTransferFrom(msg.sender, address(this), amount);
        emit WorkerRegistered(msg.sender, amount);
    }

    /// @inheritdoc IWorkerRegistry
    function addBond(uint256 amount) external nonReentrant {
        Worker storage w = _workers[msg.sender];
        if (!w.registered) revert NotRegistered(msg.sender);
        if (w.exitBlock != 0) revert AlreadyExiting(msg.sender);
        if (amount == 0) revert InvalidAmount(0);
        uint256 bond = w.bond + amount;
        w.bond = bond.toUint128();
        _totalBonded += amount;
        if (w.slashes == 0) _eligibleStake += amount;
        _share.safeTransferFrom(msg.sender, address(this), amount);
        emit BondAdded(msg.sender, amount, bond);
    }

    /// @inheritdoc IWorkerRegistry
    function requestExit() external returns (uint256 exitBlock) {
        Worker storage w = _workers[msg.sender];
        if (!w.registered) revert NotRegistered(msg.sender);
        if (w.exitBlock != 0) revert AlreadyExiting(msg.sender);
        exitBlock = block.number + _unbondingDelay;
        w.exitBlock = exitBlock.toUint40();
        if (w.slashes == 0) _eligibleStake -= w.bond;
        emit ExitRequested(msg.sender, exitBlock);
    }

    /// @inheritdoc IWorkerRegistry
    function withdraw() external nonReentrant returns (uint256 amount) {
        Worker memory w = _workers[msg.sender];
        if (!w.registered) revert NotRegistered(msg.sender);
        if (w.exitBlock == 0) revert NotExiting(msg.sender);
        if (block.number < w.exitBlock) revert ExitNotReady(w.exitBlock);
        amount = w.bond;
        _totalBonded -= amount;
        delete _workers[msg.sender];
        _share.safeTransfer(msg.sender, amount);
        emit WorkerWithdrawn(msg.sender, amount);
    }

    /// @inheritdoc IWorkerRegistry
    function slash(address worker, uint256 bps) external onlySettlement nonReentrant returns (uint256 amount) {
        if (bps > BPS) revert InvalidAmount(bps);
        Worker storage w = _workers[worker];
        uint256 bond = w.bond;
        // bps <= BPS, so amount <= bond: a slash never exceeds the bond.
        amount = (bond * bps) / BPS;
        if (amount == 0) return 0;
        uint256 left = bond - amount;
        // A slashed worker never attests again: its whole bond leaves the eligible stake at its first slash.
        if (w.exitBlock == 0 && w.slashes == 0) _eligibleStake -= bond;
        w.bond = uint128(left);
        w.slashes += 1;
        _totalBonded -= amount;
        _slashed[worker] += amount;
        // Burned whole: a reward to whoever challenges first would flow back to a liar that challenges itself.
        _share.safeTransfer(BURN_ADDRESS, amount);
        emit WorkerSlashed(worker, amount, left);
    }

    /// @inheritdoc IWorkerRegistry
    function recordAttestation(address worker) external onlySettlement returns (uint256 bond, uint256 eligibleStake_) {
        Worker storage w = _workers[worker];
        bond = w.bond;
        if (!w.registered || w.exitBlock != 0 || w.slashes != 0 || bond < _minBond) revert NotEligible(worker);
        w.attested += 1;
        eligibleStake_ = _eligibleStake;
    }

    /// @inheritdoc IWorkerRegistry
    function workerOf(address worker) external view returns (Worker memory) {
        return _workers[worker];
    }

    /// @inheritdoc IWorkerRegistry
    function isEligible(address worker) external view returns (bool) {
        Worker memory w = _workers[worker];
        return w.registered && w.exitBlock == 0 && w.slashes == 0 && w.bond >= _minBond;
    }

    /// @inheritdoc IWorkerRegistry
    function totalBonded() external view returns (uint256) {
        return _totalBonded;
    }

    /// @inheritdoc IWorkerRegistry
    function eligibleStake() external view returns (uint256) {
        return _eligibleStake;
    }

    /// @inheritdoc IWorkerRegistry
    function slashedOf(address worker) external view returns (uint256) {
        return _slashed[worker];
    }

    /// @inheritdoc IWorkerRegistry
    function shareToken() external view returns (address) {
        return address(_share);
    }

    /// @inheritdoc IWorkerRegistry
    function settlement() external view returns (address) {
        return _settlement;
    }

    /// @inheritdoc IWorkerRegistry
    function minBond() external view returns (uint256) {
        return _minBond;
    }

    /// @inheritdoc IWorkerRegistry
    function unbondingDelay() external view returns (uint256) {
        return _unbondingDelay;
    }
}
