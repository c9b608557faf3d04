// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {ISovrLedger} from "../interfaces/ISovrLedger.sol";
import {SovrCodes} from "../libraries/SovrCodes.sol";
import {TransferResults} from "../libraries/TransferResults.sol";
import {SovrToken} from "../SovrToken.sol";
import {LedgerStorage} from "./LedgerStorage.sol";

/// @title LedgerTokenView: the ledger's side of SOVR's ERC-20 view
/// @notice Deploys `SovrToken` and settles its transfers as ledger transfers between primary accounts,
/// with ids the ledger mints itself; balances and supply are read from the ledger.
abstract contract LedgerTokenView is LedgerStorage {
    /// @notice The ERC-20 view of ledger 840, deployed by this contract and trusted by it alone.
    SovrToken public immutable token;

    constructor() {
        token = new SovrToken(this);
    }

    /// @inheritdoc ISovrLedger
    function settleTokenTransfer(address from, address to, uint128 amount) external {
        if (msg.sender != address(token)) revert OnlyToken(msg.sender);
        uint128 id;
        unchecked {
            id = RESERVED_ID_BIT | uint128(++_tokenTransferCount);
        }
        Transfer memory t = Transfer({
            id: id,
            // EIP-20: a transfer of 0 is a normal transfer, also from an address that has no account yet.
            debitAccountId: amount == 0 ? openPrimaryAccount(from) : primaryAccountId(from),
            creditAccountId: openPrimaryAccount(to),
            amount: amount,
            pendingId: 0,
            userData: bytes32(0),
            timeout: 0,
            ledger: SovrCodes.LEDGER_USD,
            code: SovrCodes.TRANSFER_PAYMENT,
            flags: 0
        });
        TransferResult result = _createTransfer(t, from, true);
        if (result == TransferResult.Ok) return;
        if (result == TransferResult.ExceedsCredits || result == TransferResult.DebitAccountNotFound) {
            revert IERC20Errors.ERC20InsufficientBalance(from, tokenBalanceOf(from), amount);
        }
        TransferResults.revertWith(result, id);
    }

    /// @inheritdoc ISovrLedger
    function tokenBalanceOf(address holder) public view returns (uint256) {
        AccountWords storage s = _accounts[primaryAccountId(holder)];
        uint256 debits = s.debits.total();
        uint256 credits = s.credits.posted();
        return credits > debits ? credits - debits : 0;
    }

    /// @inheritdoc ISovrLedger
    function tokenSupply() external view returns (uint256) {
        AccountWords storage s = _accounts[supplyAccountId];
        uint256 debits = s.debits.posted();
        uint256 credits = s.credits.posted();
        return debits > credits ? debits - credits : 0;
    }
}
