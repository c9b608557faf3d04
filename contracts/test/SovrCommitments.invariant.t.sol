// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";

import {ISovrCommitments} from "../src/interfaces/ISovrCommitments.sol";
import {ISovrLedger} from "../src/interfaces/ISovrLedger.sol";
import {SovrCommitments} from "../src/SovrCommitments.sol";
import {SovrLedger} from "../src/SovrLedger.sol";
import {CommitmentsHandler} from "./utils/CommitmentsHandler.sol";

/// @title Invariants of SovrCommitments on the real ledger
/// @notice After every call of every random sequence: each commitment's milestones add up to it, what was posted
/// never exceeds it and is exactly what the handler saw approved, no milestone was approved after a cancellation,
/// and the payers' reservations and the payees' receipts on the ledger are exactly the milestones' states.
contract SovrCommitmentsInvariantTest is Test {
    CommitmentsHandler internal handler;

    function setUp() public {
        handler = new CommitmentsHandler();
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](5);
        selectors[0] = CommitmentsHandler.create.selector;
        selectors[1] = CommitmentsHandler.approve.selector;
        selectors[2] = CommitmentsHandler.cancel.selector;
        selectors[3] = CommitmentsHandler.expire.selector;
        selectors[4] = CommitmentsHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice Every invariant, after every call.
    function invariant_commitments() public view {
        SovrCommitments commitments = handler.commitments();
        SovrLedger ledger = handler.ledger();
        assertEq(handler.approvedAfterCancelling(), 0, "a milestone was approved after a cancellation");

        uint256[2] memory reservedBy;
        uint256[2] memory postedTo;
        for (uint64 id = 1; id <= commitments.commitmentCount(); ++id) {
            ISovrCommitments.Commitment memory c = commitments.getCommitment(id);
            uint128[] memory amounts = handler.amounts(id);
            uint256 total;
            uint256 posted;
            uint256 reserved;
            for (uint8 i; i < amounts.length; ++i) {
                total += amounts[i];
                ISovrLedger.PendingStatus status = commitments.milestoneStatus(id, i);
                if (status == ISovrLedger.PendingStatus.Posted) posted += amounts[i];
                if (status == ISovrLedger.PendingStatus.Pending) reserved += amounts[i];
                if (c.cancelled) assertTrue(status != ISovrLedger.PendingStatus.Pending, "reserved after cancelling");
            }
            assertEq(total, c.total, "milestones add up to the commitment");
            assertLe(posted, c.total, "posted beyond the commitment");
            assertEq(posted, handler.approvedTotal(id), "posted other than approved");
            reservedBy[c.payer == handler.actor(0) ? 0 : 1] += reserved;
            postedTo[c.payeeAccountId == ledger.primaryAccountId(handler.actor(2)) ? 0 : 1] += posted;
        }
        for (uint256 i; i < 2; ++i) {
            ISovrLedger.Account memory payer = ledger.getAccount(ledger.primaryAccountId(handler.actor(i)));
            assertEq(payer.debitsPending, reservedBy[i], "a payer's reservations");
            ISovrLedger.Account memory payee = ledger.getAccount(ledger.primaryAccountId(handler.actor(2 + i)));
            assertEq(payee.creditsPosted, postedTo[i], "a payee's receipts");
        }
    }
}
