// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";

import {ISovrCommitments} from "../../src/interfaces/ISovrCommitments.sol";
import {SovrCommitments} from "../../src/SovrCommitments.sol";
import {SovrCredit} from "../../src/SovrCredit.sol";
import {SovrLedger} from "../../src/SovrLedger.sol";

/// @title Stateful fuzzing handler for SovrCommitments on the real ledger
/// @notice Payers commit amounts split into milestones (with or without an arbiter); payers, arbiters, payees and
/// strangers approve and cancel, anyone releases reservations after the deadline, time passes. The handler
/// records every approval the contract accepted and every one it accepted after a cancellation.
contract CommitmentsHandler is Test {
    uint128 internal constant ISSUER = 1;
    uint128 internal constant FUNDS = 50_000e6;
    uint256 internal constant MAX_MILESTONES = 4;

    SovrLedger public ledger;
    SovrCredit public credit;
    SovrCommitments public commitments;
    address internal admin = makeAddr("admin");
    /// @dev payers 0-1, payees 2-3, an arbiter 4 and a stranger 5.
    address[6] internal actors;

    /// @notice Each commitment's milestone amounts as created, and what the handler saw approved.
    mapping(uint64 id => uint128[]) internal _amounts;
    mapping(uint64 id => uint256) public approvedTotal;
    mapping(uint64 id => bool) public cancelled;
    uint256 public approvedAfterCancelling;

    constructor() {
        vm.warp(1_750_000_000);
        ledger = new SovrLedger(admin, 0);
        credit = new SovrCredit(ledger, admin, 0, type(uint96).max);
        commitments = new SovrCommitments(ledger);
        vm.startPrank(admin);
        ledger.grantRole(ledger.TREASURY_ROLE(), address(credit));
        ledger.grantRole(ledger.CREDIT_ROLE(), address(credit));
        ledger.grantRole(ledger.SETTLER_ROLE(), address(commitments));
        credit.openIssuerAccount(ISSUER);
        vm.stopPrank();
        string[6] memory names = ["payer0", "payer1", "payee0", "payee1", "arbiter", "stranger"];
        for (uint256 i; i < actors.length; ++i) {
            actors[i] = makeAddr(names[i]);
            ledger.openPrimaryAccount(actors[i]);
        }
        vm.startPrank(admin);
        credit.issueTo(2, actors[0], FUNDS, bytes32(0));
        credit.issueTo(3, actors[1], FUNDS, bytes32(0));
        vm.stopPrank();
    }

    // ================================================================ actions

    /// @notice A payer commits to a payee: 1-4 milestones, a deadline up to 30 days away, sometimes an arbiter.
    function create(uint256 seed) external {
        uint256 count = 1 + seed % MAX_MILESTONES;
        ISovrCommitments.Milestone[] memory milestones = new ISovrCommitments.Milestone[](count);
        for (uint256 i; i < count; ++i) {
            milestones[i] = ISovrCommitments.Milestone(uint128(bound(seed >> (8 + 40 * i), 1, 5_000e6)), "m");
        }
        address arbiter = (seed >> 200) % 2 == 0 ? address(0) : actors[4];
        uint40 deadline = uint40(block.timestamp + 1 hours + (seed >> 208) % 30 days);
        vm.prank(actors[(seed >> 240) % 2]);
        try commitments.createCommitment(
            ledger.primaryAccountId(actors[2 + (seed >> 244) % 2]), arbiter, deadline, milestones
        ) returns (uint64 id) {
            for (uint256 i; i < count; ++i) {
                _amounts[id].push(milestones[i].amount);
            }
        } catch {}
    }

    /// @notice Anyone tries to approve a milestone (only the payer and the arbiter may).
    function approve(uint256 seed) external {
        uint64 count = commitments.commitmentCount();
        if (count == 0) return;
        uint64 id = uint64(1 + seed % count);
        uint8 index = uint8((seed >> 64) % MAX_MILESTONES);
        vm.prank(actors[(seed >> 72) % actors.length]);
        try commitments.approveMilestone(id, index) {
            approvedTotal[id] += _amounts[id][index];
            if (cancelled[id]) ++approvedAfterCancelling;
        } catch {}
    }

    /// @notice Anyone tries to cancel (only the payee and the arbiter may).
    function cancel(uint256 seed) external {
        uint64 count = commitments.commitmentCount();
        if (count == 0) return;
        uint64 id = uint64(1 + seed % count);
        vm.prank(actors[(seed >> 64) % actors.length]);
        try commitments.cancelCommitment(id) {
            cancelled[id] = true;
        } catch {}
    }

    /// @notice Anyone releases what a commitment still reserves past its deadline.
    function expire(uint256 seed) external {
        uint64 count = commitments.commitmentCount();
        if (count == 0) return;
        uint64 id = uint64(1 + seed % count);
        uint256 n = _amounts[id].length;
        uint128[] memory ids = new uint128[](n);
        for (uint256 i; i < n; ++i) {
            ids[i] = commitments.milestoneTransferId(id, uint8(i));
        }
        vm.prank(actors[5]);
        ledger.expirePendingTransfers(ids);
    }

    /// @notice Time passes.
    function warp(uint256 seed) external {
        vm.warp(block.timestamp + seed % 10 days);
    }

    // ================================================================ reads for the invariants

    function amounts(uint64 id) external view returns (uint128[] memory) {
        return _amounts[id];
    }

    function actor(uint256 index) external view returns (address) {
        return actors[index];
    }
}
