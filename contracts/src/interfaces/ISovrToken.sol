// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrLedger} from "./ISovrLedger.sol";

/// @title Errors and functions of SovrToken beyond ERC-20 and EIP-2612
/// @notice SovrToken is the ERC-20 view of SOVR on ledger 840: every balance is a primary ledger account.
interface ISovrToken {
    /// @notice Thrown when a token operation that does not exist for a ledger-backed token is attempted.
    error MintAndBurnNotSupported();

    /// @notice Returns the ledger whose primary accounts back the balances.
    function ledger() external view returns (ISovrLedger);
}
