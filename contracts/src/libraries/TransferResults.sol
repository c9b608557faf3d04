// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrLedger} from "../interfaces/ISovrLedger.sol";

/// @title TransferResults: the ledger's result codes and their custom errors
/// @notice `createTransfers` reports one `TransferResult` per transfer; `createTransfer` (and the relay and
/// the ERC-20 view) revert with the custom error of the same name instead, carrying the transfer id.
/// This is the one table that pairs them, in the enum's order.
library TransferResults {
    /// @dev Number of `TransferResult` values (`Ok` included); the table below fails to compile if it is wrong.
    uint256 internal constant COUNT = 63;

    /// @dev Reverts with the custom error named after `result`, carrying the transfer id.
    /// `result` is never `Ok`.
    function revertWith(ISovrLedger.TransferResult result, uint128 id) internal pure {
        bytes4 selector = selectorOf(result);
        assembly ("memory-safe") {
            mstore(0x00, selector)
            mstore(0x04, id)
            revert(0x00, 0x24)
        }
    }

    /// @dev The selector of the custom error named after `result` (zero for `Ok`).
    function selectorOf(ISovrLedger.TransferResult result) internal pure returns (bytes4) {
        bytes4[COUNT] memory selectors = [
            bytes4(0),
            ISovrLedger.LinkedEventFailed.selector,
            ISovrLedger.LinkedEventChainOpen.selector,
            ISovrLedger.ReservedFlag.selector,
            ISovrLedger.IdMustNotBeZero.selector,
            ISovrLedger.IdMustNotBeIntMax.selector,
            ISovrLedger.IdReserved.selector,
            ISovrLedger.ExistsWithDifferentFlags.selector,
            ISovrLedger.ExistsWithDifferentPendingId.selector,
            ISovrLedger.ExistsWithDifferentTimeout.selector,
            ISovrLedger.ExistsWithDifferentDebitAccountId.selector,
            ISovrLedger.ExistsWithDifferentCreditAccountId.selector,
            ISovrLedger.ExistsWithDifferentAmount.selector,
            ISovrLedger.ExistsWithDifferentUserData.selector,
            ISovrLedger.ExistsWithDifferentLedger.selector,
            ISovrLedger.ExistsWithDifferentCode.selector,
            ISovrLedger.Exists.selector,
            ISovrLedger.LedgerPaused.selector,
            ISovrLedger.FlagsAreMutuallyExclusive.selector,
            ISovrLedger.DebitAccountIdMustNotBeZero.selector,
            ISovrLedger.DebitAccountIdMustNotBeIntMax.selector,
            ISovrLedger.CreditAccountIdMustNotBeZero.selector,
            ISovrLedger.CreditAccountIdMustNotBeIntMax.selector,
            ISovrLedger.AccountsMustBeDifferent.selector,
            ISovrLedger.PendingIdMustBeZero.selector,
            ISovrLedger.PendingIdMustNotBeZero.selector,
            ISovrLedger.PendingIdMustNotBeIntMax.selector,
            ISovrLedger.PendingIdMustBeDifferent.selector,
            ISovrLedger.TimeoutReservedForPendingTransfer.selector,
            ISovrLedger.ClosingTransferMustBePending.selector,
            ISovrLedger.LedgerMustNotBeZero.selector,
            ISovrLedger.CodeMustNotBeZero.selector,
            ISovrLedger.DebitAccountNotFound.selector,
            ISovrLedger.CreditAccountNotFound.selector,
            ISovrLedger.AccountsMustHaveTheSameLedger.selector,
            ISovrLedger.TransferMustHaveTheSameLedgerAsAccounts.selector,
            ISovrLedger.PendingTransferNotFound.selector,
            ISovrLedger.PendingTransferNotPending.selector,
            ISovrLedger.PendingTransferHasDifferentDebitAccountId.selector,
            ISovrLedger.PendingTransferHasDifferentCreditAccountId.selector,
            ISovrLedger.PendingTransferHasDifferentLedger.selector,
            ISovrLedger.PendingTransferHasDifferentCode.selector,
            ISovrLedger.ExceedsPendingTransferAmount.selector,
            ISovrLedger.PendingTransferHasDifferentAmount.selector,
            ISovrLedger.PendingTransferAlreadyPosted.selector,
            ISovrLedger.PendingTransferAlreadyVoided.selector,
            ISovrLedger.PendingTransferExpired.selector,
            ISovrLedger.NotAuthorized.selector,
            ISovrLedger.DebitAccountAlreadyClosed.selector,
            ISovrLedger.CreditAccountAlreadyClosed.selector,
            ISovrLedger.DebitAccountFrozen.selector,
            ISovrLedger.CreditAccountFrozen.selector,
            ISovrLedger.OverflowsDebitsPending.selector,
            ISovrLedger.OverflowsCreditsPending.selector,
            ISovrLedger.OverflowsDebitsPosted.selector,
            ISovrLedger.OverflowsCreditsPosted.selector,
            ISovrLedger.OverflowsDebits.selector,
            ISovrLedger.OverflowsCredits.selector,
            ISovrLedger.OverflowsTimeout.selector,
            ISovrLedger.CreditLineExpired.selector,
            ISovrLedger.CreditLineFrozen.selector,
            ISovrLedger.ExceedsCredits.selector,
            ISovrLedger.ExceedsDebits.selector
        ];
        return selectors[uint8(result)];
    }
}
