// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IRestakingStrategy} from "../../interfaces/IRestakingStrategy.sol";
import {ISymbioticVault} from "./ISymbioticVault.sol";

/// @title SymbioticStrategy: SurgeVault's restaking through a Symbiotic vault
/// @notice Holds one staker's position (SurgeVault's, bound once after deployment) in a Symbiotic vault whose
/// collateral is the staker's asset (WETH). Strategy shares are the Symbiotic vault's active shares held here.
/// - `deposit` pulls the collateral and deposits it into the Symbiotic vault for active shares.
/// - `queueWithdrawal` redeems active shares into a withdrawal of the next Symbiotic epoch; it completes once the
///   epoch after it has begun (`completableAt`, at most `withdrawalDelay` = 2 epochs later). Until then it stays
///   slashable: Symbiotic's slasher cuts active stake and pending withdrawals pro rata (`Vault.onSlash`).
/// - `completeWithdrawal` claims the withdrawal's epoch from Symbiotic and pays the staker what is left of it.
///   Symbiotic pays an account's withdrawals of one epoch together: the first completion of an epoch pays all of
///   them, the others 0 (the vault books what it receives, so the sum is what counts).
/// - `totalAssetsOf` is what the Symbiotic vault proves now: active balance plus every unclaimed withdrawal, after
///   slashes. The vault books a slash from it at once (`syncLoss`), even between reports.
/// @dev Rewards: Symbiotic's core has no reward accounting in the vault. Restaking rewards (paid by networks through
/// their reward contracts) reach the position when they are deposited into the Symbiotic vault on behalf of this
/// contract (`deposit(address(strategy), amount)` by anyone), which raises `totalAssetsOf`.
/// [CAUTION] Whoever deploys binds the staker once (`bindStaker`); until then every staker call reverts.
contract SymbioticStrategy is IRestakingStrategy {
    using SafeERC20 for IERC20;
    using Math for uint256;

    /// @notice The staker was bound.
    event StakerBound(address indexed staker);

    /// @notice Only the bound staker may call; `caller` is not it (or none is bound yet).
    error NotStaker(address caller);
    /// @notice Only the deployer `binder` may bind the staker, once.
    error NotBinder(address caller, address binder);
    /// @notice The staker is bound already (to `staker`).
    error StakerAlreadyBound(address staker);
    /// @notice A zero address was given for `what`.
    error ZeroAddressFor(string what);

    ISymbioticVault private immutable _vault;
    IERC20 private immutable _collateral;
    uint256 private immutable _epochDurationInit;
    uint256 private immutable _epochDuration;
    address private immutable _binder;

    /// @dev The staker and how many withdrawal epochs are pending, in one slot: `totalAssetsOf`, which the vault
    /// reads on every entry and exit, needs both.
    struct Binding {
        address staker;
        uint96 pendingCount;
    }

    Binding private _binding;
    /// @dev Withdrawal epochs with a claim not made yet, at [0, pendingCount). Invariant: exactly the epochs of the
    /// queued, uncompleted withdrawals, each once; short (one per epoch in which the vault unstaked and has not
    /// completed).
    mapping(uint256 index => uint256 epoch) private _pendingEpochs;
    /// @dev Withdrawal epoch + 1 of each queued withdrawal (0: none, or completed).
    mapping(bytes32 withdrawalRoot => uint256) private _epochPlusOne;
    uint256 private _nonce;

    /// @param vault_ The Symbiotic vault (its collateral is the strategy's `underlying`). The caller becomes the
    /// binder, who binds the staker once with `bindStaker`.
    constructor(ISymbioticVault vault_) {
        if (address(vault_) == address(0)) revert ZeroAddressFor("vault");
        address collateral = vault_.collateral();
        if (collateral == address(0)) revert ZeroAddressFor("collateral");
        _vault = vault_;
        _collateral = IERC20(collateral);
        _epochDurationInit = vault_.epochDurationInit();
        _epochDuration = vault_.epochDuration();
        _binder = msg.sender;
        // The strategy never holds idle collateral (it forwards every deposit), so a standing approval is safe.
        IERC20(collateral).forceApprove(address(vault_), type(uint256).max);
    }

    modifier onlyStaker() {
        if (msg.sender != _binding.staker || msg.sender == address(0)) revert NotStaker(msg.sender);
        _;
    }

    /// @notice The deployer binds the one staker (SurgeVault), once.
    function bindStaker(address staker_) external {
        if (msg.sender != _binder) revert NotBinder(msg.sender, _binder);
        address bound = _binding.staker;
        if (bound != address(0)) revert StakerAlreadyBound(bound);
        if (staker_ == address(0)) revert ZeroAddressFor("staker");
        _binding.staker = staker_;
        emit StakerBound(staker_);
    }

    /// @inheritdoc IRestakingStrategy
    function deposit(uint256 assets) external onlyStaker returns (uint256 shares) {
        if (assets == 0) revert StrategyZeroAmount();
        _collateral.safeTransferFrom(msg.sender, address(this), assets);
        uint256 deposited;
        (deposited, shares) = _vault.deposit(address(this), assets);
        emit StrategyDeposited(msg.sender, deposited, shares);
    }

    /// @inheritdoc IRestakingStrategy
    function queueWithdrawal(uint256 shares) external onlyStaker returns (bytes32 withdrawalRoot) {
        if (shares == 0) revert StrategyZeroAmount();
        uint256 available = _vault.activeSharesOf(address(this));
        if (shares > available) revert InsufficientStrategyShares(msg.sender, shares, available);
        _vault.redeem(address(this), shares);
        uint256 epoch = _currentEpoch() + 1; // Symbiotic books a withdrawal for the next epoch
        withdrawalRoot = keccak256(abi.encode(address(this), epoch, _nonce++));
        _epochPlusOne[withdrawalRoot] = epoch + 1;
        if (_indexOfPending(epoch) == type(uint256).max) _pendingEpochs[_binding.pendingCount++] = epoch;
        emit StrategyWithdrawalQueued(withdrawalRoot, msg.sender, shares, _claimableAt(epoch));
    }

    /// @inheritdoc IRestakingStrategy
    function completeWithdrawal(bytes32 withdrawalRoot) external onlyStaker returns (uint256 assets) {
        uint256 epochPlusOne = _epochPlusOne[withdrawalRoot];
        if (epochPlusOne == 0) revert WithdrawalNotFound(withdrawalRoot);
        uint256 epoch = epochPlusOne - 1;
        uint256 at = _claimableAt(epoch);
        if (block.timestamp < at) revert WithdrawalNotCompletable(withdrawalRoot, at);
        delete _epochPlusOne[withdrawalRoot];
        if (_removePending(epoch)) {
            // A slash may have taken the whole epoch: Symbiotic refuses a claim of 0, and there is nothing to pay.
            if (_vault.withdrawalsOf(epoch, address(this)) != 0) assets = _vault.claim(msg.sender, epoch);
        }
        emit StrategyWithdrawalCompleted(withdrawalRoot, msg.sender, assets);
    }

    // ---------------------------------------------------------------- views

    /// @notice The Symbiotic vault.
    function symbioticVault() external view returns (ISymbioticVault) {
        return _vault;
    }

    /// @notice The bound staker (zero before `bindStaker`).
    function staker() external view returns (address) {
        return _binding.staker;
    }

    /// @notice Withdrawal epochs not claimed yet.
    function pendingEpochs() external view returns (uint256[] memory epochs) {
        uint256 n = _binding.pendingCount;
        epochs = new uint256[](n);
        for (uint256 i; i < n; ++i) epochs[i] = _pendingEpochs[i];
    }

    /// @inheritdoc IRestakingStrategy
    function underlying() external view returns (address) {
        return address(_collateral);
    }

    /// @inheritdoc IRestakingStrategy
    /// @dev A withdrawal queued at the very start of an epoch waits that epoch and the next.
    function withdrawalDelay() external view returns (uint256) {
        return 2 * _epochDuration;
    }

    /// @inheritdoc IRestakingStrategy
    function sharesOf(address staker_) external view returns (uint256) {
        return staker_ == _binding.staker ? _vault.activeSharesOf(address(this)) : 0;
    }

    /// @inheritdoc IRestakingStrategy
    /// @dev Symbiotic's own conversion (ERC-4626 with no decimals offset: one virtual share and one virtual asset).
    function sharesToAssets(uint256 shares) external view returns (uint256) {
        return shares.mulDiv(_vault.activeStake() + 1, _vault.activeShares() + 1);
    }

    /// @inheritdoc IRestakingStrategy
    function assetsToShares(uint256 assets) external view returns (uint256) {
        return assets.mulDiv(_vault.activeShares() + 1, _vault.activeStake() + 1);
    }

    /// @inheritdoc IRestakingStrategy
    function totalAssetsOf(address staker_) external view returns (uint256 assets) {
        Binding memory b = _binding;
        if (staker_ != b.staker) return 0;
        assets = _vault.activeBalanceOf(address(this));
        uint256 n = b.pendingCount;
        for (uint256 i; i < n; ++i) {
            assets += _vault.withdrawalsOf(_pendingEpochs[i], address(this));
        }
    }

    /// @inheritdoc IRestakingStrategy
    function completableAt(bytes32 withdrawalRoot) external view returns (uint256) {
        uint256 epochPlusOne = _epochPlusOne[withdrawalRoot];
        return epochPlusOne == 0 ? 0 : _claimableAt(epochPlusOne - 1);
    }

    // ---------------------------------------------------------------- internal

    /// @dev Symbiotic's `currentEpoch`, from the vault's fixed epoch schedule (saves a call).
    function _currentEpoch() private view returns (uint256) {
        return (block.timestamp - _epochDurationInit) / _epochDuration;
    }

    /// @dev A withdrawal of `epoch` can be claimed once `epoch` has ended, i.e. from the start of `epoch + 1`.
    function _claimableAt(uint256 epoch) private view returns (uint256) {
        return _epochDurationInit + (epoch + 1) * _epochDuration;
    }

    /// @dev Removes `epoch` from the pending epochs; false if it was not there (claimed already).
    function _removePending(uint256 epoch) private returns (bool) {
        uint256 i = _indexOfPending(epoch);
        if (i == type(uint256).max) return false;
        uint256 last = --_binding.pendingCount;
        _pendingEpochs[i] = _pendingEpochs[last];
        delete _pendingEpochs[last];
        return true;
    }

    /// @dev Where `epoch` is among the pending epochs; type(uint256).max if it is not.
    function _indexOfPending(uint256 epoch) private view returns (uint256) {
        uint256 n = _binding.pendingCount;
        for (uint256 i; i < n; ++i) {
            if (_pendingEpochs[i] == epoch) return i;
        }
        return type(uint256).max;
    }
}
