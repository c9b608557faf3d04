// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable-next-line import-path-check
import {StdInvariant} from "forge-std/StdInvariant.sol";
// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";

import {SovrLedgerHandler} from "./utils/SovrLedgerHandler.sol";
/// @title Invariant tests of the SOVR settlement contracts
/// @notice One invariant function checks every invariant, so the profile's `runs` counts sequences.
contract SovrLedgerInvariantTest is StdInvariant, Test {
    SovrLedgerHandler internal handler;

    function setUp() public {
        handler = new SovrLedgerHandler();
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = SovrLedgerHandler.opTransfer.selector;
        selectors[1] = SovrLedgerHandler.opPending.selector;
        selectors[2] = SovrLedgerHandler.opPost.selector;
        selectors[3] = SovrLedgerHandler.opVoid.selector;
        selectors[4] = SovrLedgerHandler.opBatch.selector;
        selectors[5] = SovrLedgerHandler.opRelay.selector;
        selectors[6] = SovrLedgerHandler.opWarp.selector;
        selectors[7] = SovrLedgerHandler.opExpire.selector;
        selectors[8] = SovrLedgerHandler.opIssue.selector;
        selectors[9] = SovrLedgerHandler.opRedeem.selector;
        selectors[10] = SovrLedgerHandler.opToken.selector;
        selectors[11] = SovrLedgerHandler.opAdmin.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice Invariants 1-9 (see `SovrLedgerHandler.checkAll`), after every call of every sequence.
    function invariant_settlement() public view {
        handler.checkAll();
    }
}
