// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Types of WorkerRegistry
interface IWorkerRegistryTypes {
    /// @notice A worker as the registry keeps it, in one storage slot.
    /// @dev `bond` is in sgETH base units (21 decimals). `exitBlock` is 0 while active; after `requestExit` it is
    /// the block from which `withdraw` pays the bond out. `index` is the worker's place in the signer set (given at
    /// registration, never reused); `slashes` counts the rejected roots it signed.
    struct Worker {
        uint128 bond;
        uint40 exitBlock;
        uint40 index;
        uint32 slashes;
        bool registered;
    }

    /// @notice A rejected root whose signers are slashed lazily, by `applySlashes`.
    /// @dev The signers are the workers eligible at registry version `version` whose index is not in the sorted list
    /// hashing to `nonSigners` (keccak256 of the packed uint256 indices). `remaining` of the `signers` are still to be
    /// slashed `bps` of their bond.
    struct Rejection {
        uint48 version;
        uint32 signers;
        uint32 remaining;
        uint16 bps;
        bytes32 nonSigners;
    }
}

/// @title Errors of WorkerRegistry
/// @dev Besides these: OpenZeppelin's `SafeERC20FailedOperation`, `SafeCastOverflowedUintDowncast` and
/// `ReentrancyGuardReentrantCall`, and BLS's `BLSInvalidLength` and `BLSPrecompileFailed`.
interface IWorkerRegistryErrors {
    /// @notice A bond of `bond` is below the minimum `minBond`.
    error BondBelowMinimum(uint256 bond, uint256 minBond);
    /// @notice `worker` is registered already.
    error AlreadyRegistered(address worker);
    /// @notice `worker` is not registered.
    error NotRegistered(address worker);
    /// @notice `worker` has asked to leave already (it cannot add bond any more).
    error AlreadyExiting(address worker);
    /// @notice `worker` has not asked to leave.
    error NotExiting(address worker);
    /// @notice The bond can be withdrawn from block `exitBlock` on.
    error ExitNotReady(uint256 exitBlock);
    /// @notice `worker` may not register: it was slashed before.
    error NotEligible(address worker);
    /// @notice Only the settlement contract may record rejections; `caller` is not it.
    error NotSettlement(address caller);
    /// @notice Only the deployer may bind the settlement contract, once; `caller` may not (or it is bound).
    error SettlementBindingClosed(address caller);
    /// @notice An amount or a basis-point value is out of range.
    error InvalidAmount(uint256 amount);
    /// @notice An address that must be set was zero.
    error ZeroAddress();
    /// @notice The public key is the point at infinity, or the proof of possession does not verify under it.
    error InvalidProofOfPossession();
    /// @notice The aggregate signature does not verify under the signers' aggregate public key.
    error InvalidSignature();
    /// @notice Non-signer `index` is not an eligible worker now, or the list is not strictly increasing.
    error InvalidNonSigner(uint256 index);
    /// @notice `pending` signers of rejected roots are still to be slashed (`applySlashes`): no attestation counts
    /// until they are.
    error SlashesPending(uint256 pending);
    /// @notice Rejection `rejection` does not exist, or `nonSigners` is not its non-signer list.
    error UnknownRejection(uint256 rejection);
    /// @notice Worker `index` must first be checked against rejection `next` (rejections are applied in order).
    error RejectionsOutOfOrder(uint256 index, uint256 next);
    /// @notice Worker `index` has rejections left to be checked against (`applySlashes`) before it may leave or be
    /// paid.
    error NotCleared(uint256 index);
}

/// @title Events of WorkerRegistry
interface IWorkerRegistryEvents {
    /// @notice `worker` registered with `bond` sgETH at signer index `index` with BLS public key `publicKey` (G1,
    /// 128 bytes EIP-2537).
    event WorkerRegistered(address indexed worker, uint256 bond, uint256 indexed index, bytes publicKey);
    /// @notice `worker` added `amount`; its bond is now `bond`.
    event BondAdded(address indexed worker, uint256 amount, uint256 bond);
    /// @notice `worker` asked to leave; its bond can be withdrawn from block `exitBlock` on.
    event ExitRequested(address indexed worker, uint256 exitBlock);
    /// @notice `worker` left and received `amount` sgETH.
    event WorkerWithdrawn(address indexed worker, uint256 amount);
    /// @notice `worker` lost `amount` of its bond, all of it burned (sent to 0x…dEaD); `bondLeft` remains.
    event WorkerSlashed(address indexed worker, uint256 amount, uint256 bondLeft);
    /// @notice The settlement contract rejected a root signed by `signers` workers (registry version `version`,
    /// non-signer list hashing to `nonSigners`): they are slashed by `applySlashes(rejection, …)`.
    event RejectionRecorded(uint256 indexed rejection, uint256 version, bytes32 nonSigners, uint256 signers);
    /// @notice `applySlashes` slashed `count` signers of `rejection` (`amount` sgETH burned); `remaining` are left.
    event SlashesApplied(uint256 indexed rejection, uint256 count, uint256 amount, uint256 remaining);
    /// @notice The settlement contract was bound: from now on only it can record rejections.
    event SettlementBound(address indexed settlement);
}

/// @title WorkerRegistry: bonded DePIN workers with BLS12-381 keys
/// @notice Workers bond sgETH (at least `minBond`) and register a BLS public key with a proof of possession. The
/// registry keeps the eligible set's aggregate public key and stake current, checks aggregate signatures of it, and
/// slashes the signers of rejected roots lazily but before any of them can attest again or leave.
interface IWorkerRegistry is IWorkerRegistryTypes, IWorkerRegistryErrors, IWorkerRegistryEvents {
    /// @notice Registers the caller with a bond of `amount` sgETH (pulled with `transferFrom`), BLS public key
    /// `publicKey` (G1, 128 bytes) and proof of possession `pop`: a signature (G2, 256 bytes) with the PoP tag of
    /// `abi.encodePacked(chainid, registry, caller, publicKey)` (`popMessage`).
    function register(uint256 amount, bytes calldata publicKey, bytes calldata pop) external;

    /// @notice Adds `amount` sgETH to the caller's bond.
    function addBond(uint256 amount) external;

    /// @notice Starts the caller's exit: it leaves the signer set at once and can withdraw after the unbonding delay.
    function requestExit() external returns (uint256 exitBlock);

    /// @notice Pays the caller's remaining bond back and deregisters it, once its exit block is reached and it has
    /// been checked against every rejection since it joined.
    function withdraw() external returns (uint256 amount);

    /// @notice Checks `signature`, an aggregate BLS signature (G2, 256 bytes, attestation tag) of the 32 bytes
    /// `digest` by every eligible worker except the `nonSigners` (eligible indices, strictly increasing). Reverts
    /// unless it verifies and no slashes are pending. Returns the signers' stake, the eligible stake, the registry
    /// version and the number of signers.
    function checkSignatures(bytes32 digest, uint256[] calldata nonSigners, bytes calldata signature)
        external
        view
        returns (uint256 signedStake, uint256 eligibleStake, uint256 version, uint256 signers);

    /// @notice Settlement only: records a rejected root signed at `version` by `signers` workers (all eligible ones
    /// but the list hashing to `nonSigners`), each to lose `bps` of its bond. Returns the rejection's id.
    function recordRejection(uint256 version, bytes32 nonSigners, uint256 signers, uint256 bps)
        external
        returns (uint256 rejection);

    /// @notice Checks the workers at `indices` against `rejection` (whose non-signer list is `nonSigners`): each
    /// one that signed it is slashed and leaves the signer set; the others are cleared of it. Each worker is checked
    /// against rejections in order; a worker already checked is skipped. Anyone may call it. Returns sgETH burned.
    function applySlashes(uint256 rejection, uint256[] calldata nonSigners, uint256[] calldata indices)
        external
        returns (uint256 burned);

    /// @notice Binds the settlement contract. Only the deployer, only once.
    function bindSettlement(address settlement) external;

    /// @notice The worker record of `worker`.
    function workerOf(address worker) external view returns (Worker memory);

    /// @notice The address at signer index `index` (zero if none yet).
    function workerAt(uint256 index) external view returns (address);

    /// @notice The number of indices given so far.
    function workerCount() external view returns (uint256);

    /// @notice The BLS public key (128 bytes) of signer index `index`.
    function publicKeyOf(uint256 index) external view returns (bytes memory);

    /// @notice The bond that counted for index `index` in the signer set at `version` (0 if not eligible then).
    function bondAt(uint256 index, uint256 version) external view returns (uint256);

    /// @notice For a signer of an attestation at `version`: its address, its bond then, and whether it has been
    /// checked against every rejection (`applySlashes`) so far.
    function signerInfo(uint256 index, uint256 version)
        external
        view
        returns (address worker, uint256 bond, bool cleared);

    /// @notice The indices in [from, to) eligible at `version` (to page through the set).
    function eligibleAt(uint256 version, uint256 from, uint256 to) external view returns (uint256[] memory indices);

    /// @notice Whether `worker` is in the signer set now: registered, not exiting, never slashed.
    function isEligible(address worker) external view returns (bool);

    /// @notice Sum of all registered workers' bonds, exiting ones included until they withdraw.
    function totalBonded() external view returns (uint256);

    /// @notice Sum of the bonds of eligible workers: the quorum's denominator.
    function eligibleStake() external view returns (uint256);

    /// @notice The number of eligible workers.
    function eligibleCount() external view returns (uint256);

    /// @notice The aggregate BLS public key (128 bytes) of the eligible workers (all zeros when there are none).
    function aggregatePublicKey() external view returns (bytes memory);

    /// @notice The signer set's version: bumped by every change of an eligible worker's bond or eligibility.
    function version() external view returns (uint256);

    /// @notice Signers of rejected roots not yet slashed. Attestations are refused while it is not zero.
    function pendingSlashes() external view returns (uint256);

    /// @notice The number of rejections recorded.
    function rejectionCount() external view returns (uint256);

    /// @notice Rejection `rejection`.
    function rejectionOf(uint256 rejection) external view returns (Rejection memory);

    /// @notice The number of rejections index `index` has been checked against (it joined after the others).
    function clearedOf(uint256 index) external view returns (uint256);

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
