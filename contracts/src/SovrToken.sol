// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

import {ISovrLedger} from "./interfaces/ISovrLedger.sol";
import {ISovrToken} from "./interfaces/ISovrToken.sol";

/// @title SovrToken: the ERC-20 view of SOVR (ledger 840)
/// @notice Each address's primary SOVR account on the ledger is its token balance. Transfers,
/// allowances and EIP-2612 permits work as with any ERC-20; every transfer settles through the
/// ledger, which emits its own `TransferCreated` beside this contract's `Transfer`.
/// @dev Deployed by SovrLedger's constructor, which trusts this contract (and only it) to pass on
/// the address whose primary account is debited.
contract SovrToken is ISovrToken, ERC20Permit {
    /// @dev SOVR has six decimals: amounts are micro-dollars.
    uint8 internal constant DECIMALS = 6;

    /// @notice The ledger whose primary accounts back the balances.
    ISovrLedger public immutable ledger;

    /// @param ledger_ The ledger deploying this view.
    constructor(ISovrLedger ledger_) ERC20("SOVR", "SOVR") ERC20Permit("SOVR") {
        ledger = ledger_;
    }

    /// @notice Six: amounts are micro-dollars.
    /// @return The number of decimals.
    function decimals() public pure override returns (uint8) {
        return DECIMALS;
    }

    /// @notice What `holder`'s primary SOVR account can spend, never below zero.
    /// @param holder The address.
    /// @return The spendable balance in micro-dollars.
    function balanceOf(address holder) public view override returns (uint256) {
        return ledger.tokenBalanceOf(holder);
    }

    /// @notice SOVR issued by the owner and not redeemed.
    /// @return The supply in micro-dollars.
    function totalSupply() public view override returns (uint256) {
        return ledger.tokenSupply();
    }

    /// @dev Every balance change is a ledger transfer between primary accounts.
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) revert MintAndBurnNotSupported();
        if (value > type(uint128).max) revert ISovrLedger.AmountTooLarge(value);
        if (from == to) {
            // A transfer to oneself moves nothing, but must still be covered like any other.
            uint256 balance = balanceOf(from);
            if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
        } else {
            ledger.settleTokenTransfer(from, to, uint128(value));
        }
        emit Transfer(from, to, value);
    }
}

