// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IRestakingStrategy} from "../interfaces/IRestakingStrategy.sol";
import {ISurgeVault, IWETH9} from "../interfaces/ISurgeVault.sol";
import {SurgeVaultParameters} from "./SurgeVaultParameters.sol";
import {SurgeVaultLiquidity} from "./SurgeVaultLiquidity.sol";
import {VaultLiquidityLib} from "./VaultLiquidityLib.sol";
import {VaultParametersLib} from "./VaultParametersLib.sol";
import {WithdrawalQueueLib} from "./WithdrawalQueueLib.sol";

/// @title SurgeVault (sgETH): a liquid restaking vault over WETH
/// @notice See {ISurgeVault}. Entries: `depositETH` and ERC-5143 `deposit` with a `minShares` bound, and the plain
/// ERC-4626 `deposit`/`mint` (gains reach the rate only at bounded reports; `mint` is bounded by the caller's
/// allowance). Exits: `requestWithdrawal` + `claimWithdrawal(s)` (see {WithdrawalQueueLib}), or `instantExit`.
/// ERC-4626 `withdraw`/`redeem` revert and `maxWithdraw`/`maxRedeem` are 0: a synchronous exit at the full rate
/// would drain the buffer the queue relies on. Every entry and instant exit, and every request's exit from the pool
/// (its finalization by `rebalance`, or its claim if nobody finalized it), first books any loss the strategy shows on
/// chain (`syncLoss`: a slash that arrives between reports), so nobody enters or leaves at a pre-slash rate; requests
/// and every preview value the shares as if it were booked (`totalAssets` reads the strategy's view). A finalized
/// request's claim pays its fixed payout, set aside in WETH, and reads nothing from the strategy (issue 14: a claim
/// <= 120k gas over Symbiotic, whose position costs ~31k to read).
/// @dev Deployment links three libraries: {VaultParametersLib}, {VaultLiquidityLib}, {WithdrawalQueueLib}.
/// [CAUTION] Total assets are accounted, never read from balances: WETH sent to the vault, or value donated to the
/// strategy, does not move the rate, so the first-depositor "donation" attack has nothing to work with. The rate can
/// still be pushed up by instant-exit fees left in the vault; 10**3 virtual shares (`_decimalsOffset`) make that
/// path cost an attacker far more than it can take (test/contracts/vault/SurgeVaultInflation.t.sol).
/// [CAUTION] The strategy's on-chain view (`totalAssetsOf`) is trusted for losses and as the ceiling of gains.
/// Gains vest: a report's gain (and an instant exit's fee) is locked and reaches the rate linearly over the report
/// interval (see {VaultLiquidityLib-lock}), so a deposit just before a report earns only what vests while it is
/// held, and an exit split in pieces gets none of its own fee back.
contract SurgeVault is SurgeVaultLiquidity, ERC4626 {
    using Math for uint256;
    using SafeCast for uint256;
    using SafeERC20 for IERC20;
    using VaultParametersLib for VaultParametersLib.Store;
    using VaultLiquidityLib for VaultLiquidityLib.Store;
    using WithdrawalQueueLib for WithdrawalQueueLib.Queue;

    uint8 private constant DECIMALS_OFFSET = 3;
    uint256 private constant VIRTUAL_SHARES = 10 ** DECIMALS_OFFSET;

    WithdrawalQueueLib.Queue private _queue;

    constructor(
        IWETH9 weth,
        IRestakingStrategy strategy_,
        address admin,
        address guardian,
        address oracle,
        Parameters memory params
    )
        ERC20("Surge Gold restaked ETH", "sgETH")
        ERC4626(IERC20(address(weth)))
        SurgeVaultParameters(strategy_, admin, guardian, oracle, params)
        SurgeVaultLiquidity(weth, strategy_)
    {
        _queue.nextId = 1;
        _queue.finalizeHead = 1;
    }

    // ---------------------------------------------------------------- entries

    /// @inheritdoc ISurgeVault
    function depositETH(address receiver, uint256 minShares) external payable nonReentrant returns (uint256 shares) {
        (VaultLiquidityLib.Holdings memory h, uint256 vested) = _checkEntry(msg.value, receiver);
        shares = _toShares(msg.value, vested, Math.Rounding.Floor);
        _checkShares(shares, minShares, msg.value);
        _weth.deposit{value: msg.value}();
        _enter(receiver, msg.value, shares, h);
    }

    /// @inheritdoc IERC4626
    function deposit(
        uint256 assets,
        address receiver
    ) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        return _depositWeth(assets, receiver, 0);
    }

    /// @inheritdoc ISurgeVault
    function deposit(uint256 assets, address receiver, uint256 minShares) external nonReentrant returns (uint256) {
        return _depositWeth(assets, receiver, minShares);
    }

    /// @inheritdoc IERC4626
    function mint(uint256 shares, address receiver) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        return _mintWeth(shares, receiver);
    }

    // ---------------------------------------------------------------- exits

    /// @inheritdoc ISurgeVault
    function requestWithdrawal(uint256 shares, uint256 minAssets) external nonReentrant returns (uint256) {
        VaultParametersLib.Config storage c = _params.config;
        if (c.withdrawalsPaused) revert WithdrawalsPaused();
        if (shares == 0) revert ZeroAmount();
        uint256 assets = _convertToAssets(shares, Math.Rounding.Floor);
        if (assets < minAssets) revert AssetsBelowMinimum(assets, minAssets);
        if (assets == 0) revert ZeroAmount();
        _transfer(msg.sender, address(this), shares);
        // The cast keeps every bit: assets <= total assets < 2^128 (Holdings are 128-bit); queued <= total assets.
        _liquidity.liabilities.queued += uint128(assets);
        return _queue.enqueue(msg.sender, shares, assets, c.withdrawalDelayBlocks);
    }

    /// @inheritdoc ISurgeVault
    function claimWithdrawal(
        uint256 requestId,
        address receiver,
        uint256 minAssets
    ) external nonReentrant returns (uint256) {
        uint256[] memory ids = new uint256[](1);
        ids[0] = requestId;
        return _claim(ids, receiver, minAssets);
    }

    /// @inheritdoc ISurgeVault
    function claimWithdrawals(
        uint256[] calldata requestIds,
        address receiver,
        uint256 minAssets
    ) external nonReentrant returns (uint256) {
        return _claim(requestIds, receiver, minAssets);
    }

    /// @inheritdoc ISurgeVault
    function instantExit(uint256 shares, uint256 minAssets, address receiver) external nonReentrant returns (uint256) {
        if (_params.config.withdrawalsPaused) revert WithdrawalsPaused();
        if (receiver == address(0)) revert ZeroAddress();
        if (shares == 0) revert ZeroAmount();
        uint256 vested = _syncLoss(); // value the shares at min(accounted, on-chain), locked gains left out
        (uint256 assets, uint256 fee) = _exitAfterFee(_toAssets(shares, vested, Math.Rounding.Floor));
        if (assets < minAssets) revert AssetsBelowMinimum(assets, minAssets);
        if (assets == 0) revert ZeroAmount();
        _liquidity.bookInstantExit(
            receiver,
            shares,
            assets,
            fee,
            _params.instantExitDailyLimit,
            _params.reports.minReportInterval
        );
        _burn(msg.sender, shares);
        _sendEth(receiver, assets);
        return assets;
    }

    /// @notice Disabled: exits go through `requestWithdrawal` or `instantExit`.
    function withdraw(uint256, address, address) public pure override(ERC4626, IERC4626) returns (uint256) {
        revert UseWithdrawalQueue();
    }

    /// @notice Disabled: exits go through `requestWithdrawal` or `instantExit`.
    function redeem(uint256, address, address) public pure override(ERC4626, IERC4626) returns (uint256) {
        revert UseWithdrawalQueue();
    }

    /// @dev sgETH sent to the vault itself would be lost among the escrowed shares: refused (as stETH does).
    function transfer(address to, uint256 value) public override(ERC20, IERC20) returns (bool) {
        if (to == address(this)) revert ERC20InvalidReceiver(to);
        return super.transfer(to, value);
    }

    /// @dev See `transfer`.
    function transferFrom(address from, address to, uint256 value) public override(ERC20, IERC20) returns (bool) {
        if (to == address(this)) revert ERC20InvalidReceiver(to);
        return super.transferFrom(from, to, value);
    }

    // ---------------------------------------------------------------- oracle

    /// @inheritdoc ISurgeVault
    function report(uint256 maxGain) external onlyRole(ORACLE_ROLE) nonReentrant {
        // The library emits `ProtocolFeeMinted` and `ExchangeRateReported`; only the mint is left here.
        uint256 feeShares = _params.applyReport(_liquidity, _strategy, maxGain, totalSupply(), VIRTUAL_SHARES);
        if (feeShares != 0) _mint(_params.treasury, feeShares);
    }

    // ---------------------------------------------------------------- ERC-4626 views

    /// @inheritdoc IERC4626
    /// @dev The assets in the rate: buffer plus strategy position, the latter at the lower of the accounted value and
    /// the strategy's on-chain view (a slash not yet synced counts), less the gains still locked. Every preview and
    /// conversion uses it, and every entry and exit books the same value first, so previews agree with them.
    function totalAssets() public view override(ERC4626, IERC4626) returns (uint256) {
        return _liquidity.vestedAssets(_strategy);
    }

    /// @inheritdoc IERC4626
    function maxDeposit(address) public view override(ERC4626, IERC4626) returns (uint256) {
        return _params.config.depositsPaused ? 0 : _capRoom(_liquidity.holdings);
    }

    /// @inheritdoc IERC4626
    function maxMint(address receiver) public view override(ERC4626, IERC4626) returns (uint256) {
        return _convertToShares(maxDeposit(receiver), Math.Rounding.Floor);
    }

    /// @notice Always 0: see `withdraw`.
    function maxWithdraw(address) public pure override(ERC4626, IERC4626) returns (uint256) {
        return 0;
    }

    /// @notice Always 0: see `redeem`.
    function maxRedeem(address) public pure override(ERC4626, IERC4626) returns (uint256) {
        return 0;
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ISurgeVault
    function exchangeRate() external view returns (uint256) {
        return _convertToAssets(10 ** decimals(), Math.Rounding.Floor);
    }

    /// @inheritdoc ISurgeVault
    function withdrawalStatus(uint256 requestId) external view returns (WithdrawalStatus status, uint256 claimable) {
        bool finalized;
        (status, claimable, finalized) = _queue.status(requestId);
        // Not set aside, and cannot be paid now by the buffer and the matured unstakes a claim would complete: say so.
        if (
            status == WithdrawalStatus.Claimable &&
            !finalized &&
            previewClaim(requestId) > _liquidity.claimableLiquidity()
        ) {
            status = WithdrawalStatus.AwaitingLiquidity;
        }
    }

    /// @inheritdoc ISurgeVault
    function previewClaim(uint256 requestId) public view returns (uint256) {
        return _queue.preview(requestId, totalAssets(), totalSupply(), VIRTUAL_SHARES);
    }

    /// @inheritdoc ISurgeVault
    function previewInstantExit(uint256 shares) public view returns (uint256 assets, uint256 fee) {
        return _exitAfterFee(_convertToAssets(shares, Math.Rounding.Floor));
    }

    /// @inheritdoc ISurgeVault
    function reservedForClaims() external view returns (uint256) {
        return _queue.reserved;
    }

    /// @inheritdoc ISurgeVault
    function nextRequestId() external view returns (uint256) {
        return _queue.nextId;
    }

    /// @inheritdoc ISurgeVault
    function highWaterRate() external view returns (uint256) {
        return _params.highWaterRate;
    }

    // ---------------------------------------------------------------- internal

    function _decimalsOffset() internal pure override returns (uint8) {
        return DECIMALS_OFFSET;
    }

    /// @dev ERC-4626's conversion, on `totalAssets()` (one body with `_toShares`).
    function _convertToShares(uint256 assets, Math.Rounding rounding) internal view override returns (uint256) {
        return _toShares(assets, totalAssets(), rounding);
    }

    /// @dev ERC-4626's conversion, on `totalAssets()` (one body with `_toAssets`).
    function _convertToAssets(uint256 shares, Math.Rounding rounding) internal view override returns (uint256) {
        return _toAssets(shares, totalAssets(), rounding);
    }

    function _depositWeth(uint256 assets, address receiver, uint256 minShares) private returns (uint256 shares) {
        (VaultLiquidityLib.Holdings memory h, uint256 vested) = _checkEntry(assets, receiver);
        shares = _toShares(assets, vested, Math.Rounding.Floor);
        _checkShares(shares, minShares, assets);
        IERC20(address(_weth)).safeTransferFrom(msg.sender, address(this), assets);
        _enter(receiver, assets, shares, h);
    }

    /// @dev The WETH pulled is bounded by the allowance the caller gave: that is `mint`'s slippage bound.
    function _mintWeth(uint256 shares, address receiver) private returns (uint256 assets) {
        (VaultLiquidityLib.Holdings memory h, uint256 vested) = _checkEntry(shares, receiver);
        assets = _toAssets(shares, vested, Math.Rounding.Ceil);
        IERC20(address(_weth)).safeTransferFrom(msg.sender, address(this), assets);
        _enter(receiver, assets, shares, h);
    }

    /// @dev Pause, amount and receiver checks shared by every entry (`amount` is assets or, for `mint`, shares),
    /// then books any loss the strategy shows, so that the entry is priced after it (a slash that arrived since the
    /// last sync must not be shared with the newcomer). Returns the holdings and the total assets in the rate.
    function _checkEntry(
        uint256 amount,
        address receiver
    ) private returns (VaultLiquidityLib.Holdings memory h, uint256 vested) {
        if (_params.config.depositsPaused) revert DepositsPaused();
        if (amount == 0) revert ZeroAmount();
        // Shares minted to the vault would sit among the escrow of the queue, owned by nobody.
        if (receiver == address(this)) revert ERC20InvalidReceiver(receiver);
        vested = _syncLoss();
        h = _liquidity.holdings;
    }

    /// @dev What the deposit cap leaves above the accounted total assets `h`.
    function _capRoom(VaultLiquidityLib.Holdings memory h) private view returns (uint256) {
        uint256 total = uint256(h.buffer) + h.strategy;
        uint256 cap = _params.config.depositCap;
        return cap > total ? cap - total : 0;
    }

    /// @dev Shares worth `assets` when the rate's total assets are `vested` (as ERC-4626's `_convertToShares`, with
    /// the total already read).
    function _toShares(uint256 assets, uint256 vested, Math.Rounding rounding) private view returns (uint256) {
        return assets.mulDiv(totalSupply() + VIRTUAL_SHARES, vested + 1, rounding);
    }

    /// @dev Assets worth `shares` when the rate's total assets are `vested`.
    function _toAssets(uint256 shares, uint256 vested, Math.Rounding rounding) private view returns (uint256) {
        return shares.mulDiv(vested + 1, totalSupply() + VIRTUAL_SHARES, rounding);
    }

    /// @dev Splits the value `gross` of an instant exit into what is paid and the fee (rounded up) that stays.
    function _exitAfterFee(uint256 gross) private view returns (uint256 assets, uint256 fee) {
        fee = gross.mulDiv(_params.config.instantExitFeeBps, BPS, Math.Rounding.Ceil);
        assets = gross - fee;
    }

    function _checkShares(uint256 shares, uint256 minShares, uint256 assets) private pure {
        if (shares == 0) revert ZeroShares(assets);
        if (shares < minShares) revert SharesBelowMinimum(shares, minShares);
    }

    /// @dev Books `assets` (already received) into the buffer, routes the excess if the buffer crossed its maximum,
    /// and mints. One write of the holdings; the strategy call comes last.
    /// The deposit cap is checked here, on the accounted total assets before the entry (a revert undoes the transfer).
    function _enter(address receiver, uint256 assets, uint256 shares, VaultLiquidityLib.Holdings memory h) private {
        uint256 room = _capRoom(h);
        if (assets > room) revert ERC4626ExceededMaxDeposit(receiver, assets, room);
        uint256 buffer = h.buffer + assets;
        uint256 routed = _routeAmount(buffer, h.strategy);
        _liquidity.holdings = VaultLiquidityLib.Holdings(
            (buffer - routed).toUint128(),
            (h.strategy + routed).toUint128()
        );
        _mint(receiver, shares);
        emit Deposit(msg.sender, receiver, assets, shares);
        if (routed != 0) _depositIntoStrategy(routed);
    }

    /// @dev Claims the caller's requests `ids` (see {WithdrawalQueueLib-claim}), burns the escrow of those not
    /// finalized and pays `receiver`. A finalized request pays its fixed payout, set aside when `rebalance` finalized
    /// it: no strategy read. Any other books first the loss the strategy shows (so that nobody leaves ahead of it).
    function _claim(uint256[] memory ids, address receiver, uint256 minAssets) private returns (uint256 paid) {
        if (_params.config.withdrawalsPaused) revert WithdrawalsPaused();
        if (receiver == address(0)) revert ZeroAddress();
        uint256 burned;
        (burned, paid) = _queue.claim(
            _liquidity,
            _strategy,
            _weth,
            _params,
            ids,
            receiver,
            WithdrawalQueueLib.ClaimContext(minAssets, totalSupply(), VIRTUAL_SHARES)
        );
        if (burned != 0) _burn(address(this), burned);
        _sendEth(receiver, paid);
    }

    /// @dev `rebalance`'s last step: finalizes the requests due that the buffer can fund, and burns their escrow.
    function _finalizeWithdrawals() internal override {
        uint256 burned = _queue.finalize(_liquidity, _strategy, totalSupply(), VIRTUAL_SHARES);
        if (burned != 0) _burn(address(this), burned);
    }
}
