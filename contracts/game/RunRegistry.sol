// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IRunRegistry} from "../interfaces/IRunRegistry.sol";
import {ISurgeVault} from "../interfaces/ISurgeVault.sol";
import {InputCodec} from "../libraries/InputCodec.sol";
import {InputScan} from "../libraries/InputScan.sol";
import {SurgeConstants as K} from "../libraries/SurgeConstants.sol";
import {RunId, RunIdLib} from "../libraries/RunId.sol";

/// @title RunRegistry
/// @notice Where runs begin and end on-chain, and where players lock sgETH for a boost.
/// - `startRun` commits the player to a run whose seed is drawn from the hash of a *later* block (`SEED_DELAY`
///   after the start), mixed with the player, its run nonce, the chain id and this contract's address. When the
///   player (or its contract wallet, or its session key) decides to start, and when it decides whether to revert,
///   that hash does not exist yet: nobody can shop for seeds, in one transaction or by predicting the next block.
///   A run of another chain or deployment can never be replayed here. A player has one active run at a time, until
///   it is submitted or its deadline passes.
/// - `submitRun` (from the block after the seed block) checks the inputs (InputCodec's rules), stores the seed and
///   the inputs' hash, and emits both: the event is where workers and challengers read them. The run joins the
///   epoch of the submission block. Nothing counts an epoch's runs: a submission writes only its run's own slots, so
///   no two players' submissions touch one slot (a parallel EVM runs them side by side), and the epoch's tree
///   orders its runs by run id (RewardSettlement).
/// - `blockhash` reaches 256 blocks back; `submitWindow + SEED_DELAY` is kept below that, so every run that can still
///   be submitted has its seed in reach, and a run whose seed block is out of reach is past its deadline: the player
///   starts a new one.
/// - A run id (`RunId`) is `player << 96 | boostBps << 80 | nonce`: unique per player without a global counter (so
///   players' transactions never contend for one slot), and it carries the boost fixed at `startRun`.
/// - Boost: `min(50%, 50% * effective stake / boostFullStake)` of the run's gold, where the effective stake is the
///   sgETH locked before the current block. Locks last at least `minLockBlocks`, so a flash loan cannot be locked
///   and repaid, and a lock in the block of `startRun` does not count for it. A stake that boosts a live run stays
///   locked until that run ends, so one stake never boosts two live runs.
/// @dev Session keys can start and submit runs for a player, never lock or unlock its stake; GOLD is always paid to
/// the player (the run id names it).
contract RunRegistry is IRunRegistry, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    uint256 private constant BPS = 10_000;
    /// @notice Highest boost: +50% of the run's gold.
    uint256 public constant MAX_BOOST_BPS = 5_000;
    /// @notice A run's seed comes from the hash of the block this many blocks after its start.
    uint256 public constant SEED_DELAY = 1;
    /// @dev How far back `blockhash` answers.
    uint256 private constant BLOCKHASH_REACH = 256;

    ISurgeVault private immutable _vault;
    uint256 private immutable _genesisBlock;
    uint256 private immutable _epochBlocks;
    uint256 private immutable _submitWindow;
    uint256 private immutable _minLockBlocks;
    uint256 private immutable _boostFullStake;

    /// @dev One slot per player: the nonce and boost of its last run (which make its id), and when its stake was
    /// last locked and unlocks.
    struct Player {
        uint80 nonce;
        uint40 recentBlock;
        uint40 unlockBlock;
        uint16 lastBoostBps;
    }

    /// @dev Locked sgETH: `settled` was locked before `recentBlock`, `recent` in it. Invariant: the registry holds at
    /// least the sum of `settled + recent` over all players.
    struct Lock {
        uint128 settled;
        uint128 recent;
    }

    mapping(address player => Player) private _players;
    mapping(address player => Lock) private _locks;
    mapping(uint256 runId => Run) private _runs;
    mapping(uint256 runId => bytes32) private _inputsHash;
    mapping(address player => mapping(address key => uint256 expiry)) private _sessionKeys;

    /// @param vault_ SurgeVault: `stakeETH` deposits through it and its sgETH is what is locked
    /// @param genesisBlock_ first block of epoch 0
    /// @param epochBlocks_ blocks per epoch
    /// @param submitWindow_ blocks a player has from `startRun` to submit
    /// @param minLockBlocks_ blocks a lock lasts at least
    /// @param boostFullStake_ locked sgETH (base units) at which the boost reaches MAX_BOOST_BPS
    constructor(
        ISurgeVault vault_,
        uint256 genesisBlock_,
        uint256 epochBlocks_,
        uint256 submitWindow_,
        uint256 minLockBlocks_,
        uint256 boostFullStake_
    ) {
        if (
            address(vault_) == address(0) ||
            epochBlocks_ == 0 ||
            submitWindow_ == 0 ||
            minLockBlocks_ == 0 ||
            boostFullStake_ == 0 ||
            submitWindow_ + SEED_DELAY >= BLOCKHASH_REACH ||
            genesisBlock_ > block.number
        ) revert InvalidParameter();
        _vault = vault_;
        _genesisBlock = genesisBlock_;
        _epochBlocks = epochBlocks_;
        _submitWindow = submitWindow_;
        _minLockBlocks = minLockBlocks_;
        _boostFullStake = boostFullStake_;
    }

    // ---------------------------------------------------------------- runs

    /// @inheritdoc IRunRegistry
    function startRun() external returns (uint256 runId, uint256 seedBlock) {
        return _start(msg.sender);
    }

    /// @inheritdoc IRunRegistry
    function startRunFor(address player) external returns (uint256 runId, uint256 seedBlock) {
        _checkAuthorized(player);
        return _start(player);
    }

    function _start(address player) private returns (uint256, uint256 seedBlock) {
        Player storage p = _players[player];
        uint256 nonce = p.nonce;
        if (nonce != 0) {
            RunId last = RunIdLib.pack(player, p.lastBoostBps, nonce);
            Run storage prev = _runs[RunId.unwrap(last)];
            uint256 deadline = uint256(prev.startBlock) + _submitWindow;
            if (prev.status == RunStatus.Started && block.number <= deadline) {
                revert RunAlreadyActive(player, RunId.unwrap(last), deadline);
            }
        }
        unchecked {
            // An 80-bit nonce grows by one per run: it cannot wrap.
            ++nonce;
        }
        uint256 boost = _boostOf(player, p.recentBlock);
        p.nonce = uint80(nonce);
        p.lastBoostBps = uint16(boost);
        RunId id = RunIdLib.pack(player, boost, nonce);
        _runs[RunId.unwrap(id)] = Run({
            seed: 0,
            startBlock: block.number.toUint40(),
            submitBlock: 0,
            epoch: 0,
            boostBps: uint16(boost),
            status: RunStatus.Started
        });
        seedBlock = block.number + SEED_DELAY;
        emit RunStarted(RunId.unwrap(id), player, boost, seedBlock, block.number + _submitWindow);
        return (RunId.unwrap(id), seedBlock);
    }

    /// @inheritdoc IRunRegistry
    function submitRun(uint256 runId, bytes calldata inputs) external returns (uint256 epoch) {
        Run storage run = _runs[runId];
        Run memory r = run;
        if (r.status != RunStatus.Started) {
            if (r.status == RunStatus.None) revert RunNotFound(runId);
            revert RunAlreadySubmitted(runId);
        }
        address player = RunId.wrap(runId).player();
        if (msg.sender != player) _checkAuthorized(player);
        uint256 deadline = uint256(r.startBlock) + _submitWindow;
        if (block.number > deadline) revert SubmitDeadlinePassed(runId, deadline);
        if (inputs.length > K.MAX_INPUT_BYTES) revert InputsTooLong(inputs.length, K.MAX_INPUT_BYTES);
        if (!InputScan.isValid(inputs)) {
            InputCodec.validateStrict(inputs); // reverts with the precise reason
            revert InvalidInputs();
        }
        // Within the deadline the seed block is in blockhash's reach (constructor): only "not yet" can fail.
        uint64 seed64 = _drawSeed(RunId.wrap(runId), uint256(r.startBlock) + SEED_DELAY);
        epoch = _epochOf(block.number);
        run.seed = seed64;
        run.submitBlock = uint40(block.number);
        run.epoch = epoch.toUint32();
        run.status = RunStatus.Submitted;
        _inputsHash[runId] = keccak256(inputs);
        emit RunSubmitted(runId, player, epoch, bytes32(uint256(seed64)), inputs);
    }

    /// @inheritdoc IRunRegistry
    function authorizeSessionKey(address key, uint256 expiry) external {
        if (key == address(0) || key == msg.sender || (expiry != 0 && expiry <= block.timestamp)) {
            revert InvalidSessionKey(key, expiry);
        }
        _sessionKeys[msg.sender][key] = expiry;
        emit SessionKeyAuthorized(msg.sender, key, expiry);
    }

    // ---------------------------------------------------------------- stakes

    /// @inheritdoc IRunRegistry
    function stakeETH(uint256 minShares) external payable nonReentrant returns (uint256 shares) {
        if (msg.value == 0) revert ZeroAmount();
        shares = _vault.depositETH{value: msg.value}(address(this), minShares);
        _lock(msg.sender, shares);
    }

    /// @inheritdoc IRunRegistry
    function lockShares(uint256 shares) external nonReentrant {
        if (shares == 0) revert ZeroAmount();
        IERC20(address(_vault)).safeTransferFrom(msg.sender, address(this), shares);
        _lock(msg.sender, shares);
    }

    /// @inheritdoc IRunRegistry
    function unlock(uint256 shares) external nonReentrant {
        if (shares == 0) revert ZeroAmount();
        Player storage p = _players[msg.sender];
        if (block.number < p.unlockBlock) revert StakeStillLocked(p.unlockBlock);
        // A player has at most one live run, its last: while that run carries a boost, the stake behind it stays.
        if (p.lastBoostBps != 0) {
            uint256 last = RunId.unwrap(RunIdLib.pack(msg.sender, p.lastBoostBps, p.nonce));
            Run storage run = _runs[last];
            uint256 deadline = uint256(run.startBlock) + _submitWindow;
            if (run.status == RunStatus.Started && block.number <= deadline) revert StakeBoostingRun(last, deadline);
        }
        Lock memory lk = _locks[msg.sender];
        uint256 locked = uint256(lk.settled) + lk.recent;
        if (shares > locked) revert InsufficientStake(shares, locked);
        // Unlocking is only possible minLockBlocks after the last lock, so `recent` is old by now: fold it in.
        _locks[msg.sender] = Lock({settled: uint128(locked - shares), recent: 0});
        IERC20(address(_vault)).safeTransfer(msg.sender, shares);
        emit StakeUnlocked(msg.sender, shares);
    }

    function _lock(address player, uint256 shares) private {
        Player storage p = _players[player];
        Lock memory lk = _locks[player];
        if (p.recentBlock < block.number) {
            lk.settled = (uint256(lk.settled) + lk.recent).toUint128();
            lk.recent = shares.toUint128();
        } else {
            lk.recent = (uint256(lk.recent) + shares).toUint128();
        }
        _locks[player] = lk;
        p.recentBlock = block.number.toUint40();
        uint256 unlockBlock = block.number + _minLockBlocks;
        p.unlockBlock = unlockBlock.toUint40();
        emit StakeLocked(player, shares, unlockBlock);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IRunRegistry
    function runOf(uint256 runId) external view returns (Run memory) {
        return _runs[runId];
    }

    /// @inheritdoc IRunRegistry
    function inputsHashOf(uint256 runId) external view returns (bytes32) {
        return _inputsHash[runId];
    }

    /// @inheritdoc IRunRegistry
    function playerOf(uint256 runId) external pure returns (address) {
        return RunId.wrap(runId).player();
    }

    /// @inheritdoc IRunRegistry
    function boostOf(uint256 runId) external pure returns (uint256) {
        return RunId.wrap(runId).boostBps();
    }

    /// @inheritdoc IRunRegistry
    function seedOf(uint256 runId) external view returns (bytes32) {
        Run memory r = _runs[runId];
        if (r.status == RunStatus.None) revert RunNotFound(runId);
        if (r.status == RunStatus.Submitted) return bytes32(uint256(r.seed));
        return bytes32(uint256(_drawSeed(RunId.wrap(runId), uint256(r.startBlock) + SEED_DELAY)));
    }

    /// @inheritdoc IRunRegistry
    function seedBlockOf(uint256 runId) external view returns (uint256) {
        Run memory r = _runs[runId];
        return r.status == RunStatus.None ? 0 : uint256(r.startBlock) + SEED_DELAY;
    }

    /// @inheritdoc IRunRegistry
    function epochOf(uint256 blockNumber) external view returns (uint256) {
        return _epochOf(blockNumber);
    }

    /// @inheritdoc IRunRegistry
    function epochEnd(uint256 epoch) external view returns (uint256) {
        return _genesisBlock + (epoch + 1) * _epochBlocks;
    }

    /// @inheritdoc IRunRegistry
    function lastRunOf(address player) external view returns (uint256) {
        Player memory p = _players[player];
        if (p.nonce == 0) return 0;
        return RunId.unwrap(RunIdLib.pack(player, p.lastBoostBps, p.nonce));
    }

    /// @inheritdoc IRunRegistry
    function sessionKeyExpiry(address player, address key) external view returns (uint256) {
        return _sessionKeys[player][key];
    }

    /// @inheritdoc IRunRegistry
    function isAuthorized(address player, address caller) public view returns (bool) {
        return caller == player || _sessionKeys[player][caller] >= block.timestamp;
    }

    /// @inheritdoc IRunRegistry
    function stakeOf(address player) external view returns (StakeView memory s) {
        Player memory p = _players[player];
        Lock memory lk = _locks[player];
        s.locked = uint256(lk.settled) + lk.recent;
        s.effective = p.recentBlock < block.number ? s.locked : lk.settled;
        s.unlockBlock = p.unlockBlock;
    }

    /// @inheritdoc IRunRegistry
    function currentBoostOf(address player) external view returns (uint256) {
        return _boostOf(player, _players[player].recentBlock);
    }

    /// @inheritdoc IRunRegistry
    function vault() external view returns (address) {
        return address(_vault);
    }

    /// @inheritdoc IRunRegistry
    function genesisBlock() external view returns (uint256) {
        return _genesisBlock;
    }

    /// @inheritdoc IRunRegistry
    function epochBlocks() external view returns (uint256) {
        return _epochBlocks;
    }

    /// @inheritdoc IRunRegistry
    function submitWindow() external view returns (uint256) {
        return _submitWindow;
    }

    /// @inheritdoc IRunRegistry
    function minLockBlocks() external view returns (uint256) {
        return _minLockBlocks;
    }

    /// @inheritdoc IRunRegistry
    function boostFullStake() external view returns (uint256) {
        return _boostFullStake;
    }

    // ---------------------------------------------------------------- internals

    function _checkAuthorized(address player) private view {
        if (!isAuthorized(player, msg.sender)) revert NotAuthorized(msg.sender, player);
    }

    /// @dev The stake locked before this block, as a boost: linear up to MAX_BOOST_BPS at `boostFullStake`.
    function _boostOf(address player, uint256 recentBlock) private view returns (uint256) {
        Lock memory lk = _locks[player];
        uint256 effective = recentBlock < block.number ? uint256(lk.settled) + lk.recent : lk.settled;
        if (effective >= _boostFullStake) return MAX_BOOST_BPS;
        return (effective * MAX_BOOST_BPS) / _boostFullStake;
    }

    function _epochOf(uint256 blockNumber) private view returns (uint256) {
        // Runs are submitted from the genesis block on (the constructor bounds it); for views, earlier blocks
        // count as epoch 0.
        if (blockNumber < _genesisBlock) return 0;
        return (blockNumber - _genesisBlock) / _epochBlocks;
    }

    /// @dev The 64 seed bits of run `id` from the hash of `seedBlock`: reverts before that block exists and once it is
    /// out of blockhash's reach (a zero hash would be a seed everyone knows).
    function _drawSeed(RunId id, uint256 seedBlock) private view returns (uint64) {
        if (block.number <= seedBlock) revert SeedNotDrawn(RunId.unwrap(id), seedBlock);
        bytes32 h = blockhash(seedBlock);
        if (h == bytes32(0)) revert SeedExpired(RunId.unwrap(id), seedBlock);
        return uint64(uint256(keccak256(abi.encode(h, id.player(), id.nonce(), block.chainid, this))));
    }
}
