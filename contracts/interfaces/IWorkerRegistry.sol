// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Types of WorkerRegistry
interface IWorkerRegistryTypes {
    /// @notice A worker as the registry keeps it, in one storage slot.
    /// @dev `bond` is in sgETH base units (21 decimals). `exitBlock` is 0 while active; after `requestExit` it is
    /// the block from which `withdraw` pays the bond out. `attested` and `slashes` are lifetime counters.
    struct Worker {
        uint128 bond;
        uint40 exitBlock;
        uint40 attested;
        uint32 slashes;
        bool registered;
    }
}

/// @title Errors of WorkerRegistry
/// @dev Besides these: OpenZeppelin's `SafeERC20FailedOperation`, `SafeCastOverflowedUintDowncast` and
/// `ReentrancyGuardReentrantCall`.
interface IWorkerRegistryErrors {
    /// @notice A bond of `bond` is below the minimum `minBond`.
    error BondBelowMinimum(uint256 bond, uint256 minBond);
    /// @notice `worker` is registered already.
    error AlreadyRegistered(address worker);
    /// @notice `worker` is not registered.
    error NotRegistered(address worker);
    /// @notice `worker` has asked to leave already (it cannot add bond or attest any more).
    error AlreadyExiting(address worker);
    /// @notice `worker` has not asked to leave.
    error NotExiting(address worker);
    /// @notice The bond can be withdrawn from block `exitBlock` on.
    error ExitNotReady(uint256 exitBlock);
    /// @notice `worker` may not attest: not registered, exiting, slashed before, or bonded below the minimum.
    error NotEligible(address worker);
    /// @notice Only the settlement contract may slash and record attestations; `caller` is not it.
    error NotSettlement(address caller);
    /// @notice Only the deployer may bind the settlement contract, once; `caller` may not (or it is bound).
    error SettlementBindingClosed(address caller);
    /// @notice An amount or a basis-point value is out of range.
    error InvalidAmount(uint256 amount);
    /// @notice An address that must be set was zero.
    error ZeroAddress();
}

/// @title Events of WorkerRegistry
interface IWorkerRegistryEvents {
    /// @notice `worker` registered with `bond` sgETH.
    event WorkerRegistered(address indexed worker, uint256 bond);
    /// @notice `worker` added `amount`; its bond is now `bond`.
    event BondAdded(address indexed worker, uint256 amount, uint256 bond);
    /// @notice `worker` asked to leave; its bond can be withdrawn from block `exitBlock` on.
    event ExitRequested(address indexed worker, uint256 exitBlock);
    /// @notice `worker` left and received `amount` sgETH.
    event WorkerWithdrawn(address indexed worker, uint256 amount);
    /// @notice `worker` lost `amount` of its bond, all of it burned (sent to 0x…dEaD); `bondLeft` remains.
    event WorkerSlashed(address indexed worker, uint256 amount, uint256 bondLeft);
    /// @notice The settlement contract was bound: from now on only it can slash.
    event SettlementBound(address indexed settlement);
}

/// @title WorkerRegistry: bonded DePIN workers
/// @notice Workers bond sgETH (at least `minBond`) to attest to epoch results. They leave through an unbonding
/// delay, during which they can still be slashed; only the settlement contract slashes, and never more than a bond.
interface IWorkerRegistry is IWorkerRegistryTypes, IWorkerRegistryErrors, IWorkerRegistryEvents {
    /// @notice Registers the caller with a bond of `amount` sgETH (pulled with `transferFrom`).
    function register(uint256 amount) external;

    /// @notice Adds `amount` sgETH to the caller's bond.
    function addBond(uint256 amount) external;

    /// @notice Starts the caller's exit: it stops attesting at once and can withdraw after the unbonding delay.
    function requestExit() external returns (uint256 exitBlock);

    /// @notice Pays the caller's remaining bond back and deregisters it, once its exit block is reached.
    function withdraw() external returns (uint256 amount);

    /// @notice Settlement only: slashes `bps` of `worker`'s bond (never more than the bond) and burns all of it: no
    /// part flows to the challenger, so a liar that challenges its own root from another address still loses the
    /// whole slash. Returns the amount slashed.
    function slash(address worker, uint256 bps) external returns (uint256 amount);

    /// @notice Settlement only: counts an attestation of `worker`, reverting unless it is eligible. Returns its bond
    /// and the eligible stake (the quorum's denominator: slashed and exiting bonds are not in it).
    function recordAttestation(address worker) external returns (uint256 bond, uint256 eligibleStake);

    /// @notice Binds the settlement contract. Only the deployer, only once.
    function bindSettlement(address settlement) external;

    /// @notice The worker record of `worker`.
    function workerOf(address worker) external view returns (Worker memory);

    /// @notice Whether `worker` may attest now: registered, not exiting, never slashed, bonded at least `minBond`.
    function isEligible(address worker) external view returns (bool);

    /// @notice Sum of all registered workers' bonds, exiting ones included until they withdraw.
    function totalBonded() external view returns (uint256);

    /// @notice Sum of the bonds of eligible workers (registered, not exiting, never slashed): the quorum's
    /// denominator.
    function eligibleStake() external view returns (uint256);

    /// @notice Total sgETH slashed from `worker` over its lifetime.
    function slashedOf(address worker) external view returns (uint256);

    /// @notice The sgETH token bonds are held in.
    function shareToken() external view returns (address);

    /// @notice The settlement contract (zero until bound).
    function settlement() external view returns (address);

    /// @notice Smallest bond that lets a worker attest.
    function minBond() external view returns (uint256);

    /// @notice Blocks between `requestExit` and `withdraw`.
    function unbondingDelay() external view returns (uint256);
}
