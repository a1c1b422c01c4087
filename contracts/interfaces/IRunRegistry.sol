// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Types of RunRegistry
interface IRunRegistryTypes {
    /// @notice Where a run is in its life.
    enum RunStatus {
        None, // no such run
        Started, // seed drawn; inputs may be submitted until the deadline
        Submitted // inputs on-chain; the run belongs to `epoch`
    }

    /// @notice A run, in one storage slot.
    /// @dev `seed` holds the 64 bits SurgeRules reads (its full seed is `bytes32(uint256(seed))`); it is zero until
    /// the run is submitted (`seedOf` computes it before that, from the seed block's hash). `epoch` is set at
    /// submission: the epoch of the submission block. A run has no index in its epoch: nothing on-chain counts an
    /// epoch's runs (a shared counter would make every submission of an epoch write one slot). Its place in the
    /// epoch's tree is its rank by run id among the epoch's runs (RewardSettlement).
    struct Run {
        uint64 seed;
        uint40 startBlock;
        uint40 submitBlock;
        uint32 epoch;
        uint16 boostBps;
        RunStatus status;
    }

    /// @notice A player's locked sgETH.
    /// @dev `locked` is everything locked; `effective` excludes what was locked in the current block, so a
    /// transfer or a flash loan in the block of a `startRun` cannot raise that run's boost.
    struct StakeView {
        uint256 locked;
        uint256 effective;
        uint256 unlockBlock;
    }
}

/// @title Errors of RunRegistry
interface IRunRegistryErrors {
    /// @notice `player` already has run `runId` active until block `deadline`.
    error RunAlreadyActive(address player, uint256 runId, uint256 deadline);
    /// @notice No run has the id `runId`.
    error RunNotFound(uint256 runId);
    /// @notice Run `runId` was submitted already.
    error RunAlreadySubmitted(uint256 runId);
    /// @notice Run `runId` had to be submitted by block `deadline`.
    error SubmitDeadlinePassed(uint256 runId, uint256 deadline);
    /// @notice `caller` may not act for `player` (not the player, nor one of its unexpired session keys).
    error NotAuthorized(address caller, address player);
    /// @notice The inputs are `length` bytes, more than a run can have (`maxLength`).
    error InputsTooLong(uint256 length, uint256 maxLength);
    /// @notice Unreachable backstop: the fast input check rejected inputs that InputCodec accepted.
    error InvalidInputs();
    /// @notice A session key cannot be the player itself or zero, and its expiry must be in the future.
    error InvalidSessionKey(address key, uint256 expiry);
    /// @notice The stake is locked until block `unlockBlock`.
    error StakeStillLocked(uint256 unlockBlock);
    /// @notice The stake boosts run `runId`, which may be submitted until block `deadline`: it stays locked until the
    /// run has ended (submitted, or its deadline passed), so one stake never boosts two live runs.
    error StakeBoostingRun(uint256 runId, uint256 deadline);
    /// @notice The seed of `runId` comes from the hash of block `seedBlock`, which is not on-chain yet: wait a block.
    error SeedNotDrawn(uint256 runId, uint256 seedBlock);
    /// @notice The hash of `runId`'s seed block `seedBlock` is out of `blockhash`'s 256-block reach; such a run is past
    /// its deadline (the constructor makes sure), so the player simply starts a new one.
    error SeedExpired(uint256 runId, uint256 seedBlock);
    /// @notice Unlocking `requested` exceeds the `locked` amount.
    error InsufficientStake(uint256 requested, uint256 locked);
    /// @notice An amount of zero was given.
    error ZeroAmount();
    /// @notice A constructor parameter was out of range.
    error InvalidParameter();
}

/// @title Events of RunRegistry
interface IRunRegistryEvents {
    /// @notice `player` started `runId` with a boost of `boostBps`; its seed is drawn from the hash of block
    /// `seedBlock` (readable with `seedOf` once that block exists); submit by block `deadline`.
    event RunStarted(
        uint256 indexed runId,
        address indexed player,
        uint256 boostBps,
        uint256 seedBlock,
        uint256 deadline
    );
    /// @notice `runId` of `player` was submitted in `epoch`, played on `seed`; `inputs` are the run's full inputs
    /// (the only place they are kept: anyone replays the run from here). An epoch's runs are its RunSubmitted logs.
    event RunSubmitted(
        uint256 indexed runId,
        address indexed player,
        uint256 indexed epoch,
        bytes32 seed,
        bytes inputs
    );
    /// @notice `player` authorized `key` to start and submit runs for it until `expiry` (unix seconds; 0 revokes).
    event SessionKeyAuthorized(address indexed player, address indexed key, uint256 expiry);
    /// @notice `player` locked `shares` sgETH more; all its stake is locked until `unlockBlock`.
    event StakeLocked(address indexed player, uint256 shares, uint256 unlockBlock);
    /// @notice `player` unlocked `shares` sgETH.
    event StakeUnlocked(address indexed player, uint256 shares);
}

/// @title RunRegistry: runs and player stakes
/// @notice `startRun` commits a player to a run whose seed comes from a later block's hash, so nobody knows it when
/// choosing to start (or to revert); `submitRun` puts the run's inputs on-chain and assigns it to an epoch. Players
/// lock sgETH here for a reward boost fixed at `startRun`.
interface IRunRegistry is IRunRegistryTypes, IRunRegistryErrors, IRunRegistryEvents {
    /// @notice Starts a run for the caller. Returns its id and the block whose hash draws its seed (`seedOf` reads
    /// the seed once that block exists).
    function startRun() external returns (uint256 runId, uint256 seedBlock);

    /// @notice Starts a run for `player`; the caller must be one of its unexpired session keys.
    function startRunFor(address player) external returns (uint256 runId, uint256 seedBlock);

    /// @notice Submits the inputs of `runId` (by its player or a session key), after its seed block and before the
    /// deadline; stores the seed. Returns the run's epoch. It writes only the run's own slots: submissions of
    /// different runs never touch one slot (a parallel EVM runs them side by side).
    function submitRun(uint256 runId, bytes calldata inputs) external returns (uint256 epoch);

    /// @notice Lets `key` start and submit runs for the caller until `expiry` (unix seconds). GOLD always goes to
    /// the player. An expiry of 0 revokes the key.
    function authorizeSessionKey(address key, uint256 expiry) external;

    /// @notice Deposits the ETH sent through the vault and locks the sgETH minted for the caller (at least
    /// `minShares`). Returns the shares locked.
    function stakeETH(uint256 minShares) external payable returns (uint256 shares);

    /// @notice Locks `shares` sgETH that the caller already holds (pulled with `transferFrom`).
    function lockShares(uint256 shares) external;

    /// @notice Unlocks `shares` of the caller's sgETH once its lock time has passed and no boosted run of the caller
    /// is live, and sends them back.
    function unlock(uint256 shares) external;

    /// @notice The run `runId`.
    function runOf(uint256 runId) external view returns (Run memory);

    /// @notice keccak256 of the inputs submitted for `runId` (zero before submission).
    function inputsHashOf(uint256 runId) external view returns (bytes32);

    /// @notice The player a run id belongs to (its top 160 bits).
    function playerOf(uint256 runId) external pure returns (address);

    /// @notice The boost a run id carries (bits 80..95), in basis points.
    function boostOf(uint256 runId) external pure returns (uint256);

    /// @notice The full seed of `runId`, as SurgeRules takes it: `uint64(keccak256(abi.encode(blockhash(seedBlock),
    /// player, nonce, chainid, registry)))`. Reverts `RunNotFound`, `SeedNotDrawn` before the seed block exists, and
    /// `SeedExpired` for an unsubmitted run whose seed block is out of `blockhash`'s reach.
    function seedOf(uint256 runId) external view returns (bytes32);

    /// @notice The block whose hash draws `runId`'s seed: its start block + `SEED_DELAY` (0 if no such run).
    function seedBlockOf(uint256 runId) external view returns (uint256);

    /// @notice The epoch of block `blockNumber` (which must not precede the genesis block).
    function epochOf(uint256 blockNumber) external view returns (uint256);

    /// @notice The first block after `epoch`.
    function epochEnd(uint256 epoch) external view returns (uint256);

    /// @notice The player's most recent run id (0 if none).
    function lastRunOf(address player) external view returns (uint256);

    /// @notice Until when (unix seconds) `key` may act for `player` (0 if not authorized).
    function sessionKeyExpiry(address player, address key) external view returns (uint256);

    /// @notice Whether `caller` is `player` or one of its unexpired session keys.
    function isAuthorized(address player, address caller) external view returns (bool);

    /// @notice `player`'s locked sgETH.
    function stakeOf(address player) external view returns (StakeView memory);

    /// @notice The boost a run started now by `player` would get, in basis points.
    function currentBoostOf(address player) external view returns (uint256);

    /// @notice The vault whose sgETH is locked.
    function vault() external view returns (address);

    /// @notice The first block of epoch 0.
    function genesisBlock() external view returns (uint256);

    /// @notice Blocks per epoch.
    function epochBlocks() external view returns (uint256);

    /// @notice Blocks a player has after `startRun` to submit.
    function submitWindow() external view returns (uint256);

    /// @notice Blocks sgETH stays locked after the last lock.
    function minLockBlocks() external view returns (uint256);

    /// @notice The locked sgETH at which the boost reaches its maximum.
    function boostFullStake() external view returns (uint256);
}
