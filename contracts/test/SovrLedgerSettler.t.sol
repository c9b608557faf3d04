// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {ISovrLedger} from "../src/interfaces/ISovrLedger.sol";
import {LedgerFixture} from "./utils/LedgerFixture.sol";

/// @notice The ledger's settler paths: `createTransfersFor` (a batch with one authority per member, results instead
/// of reverts, no linked chains) and the rule that a settler's reservation is resolved only through a settler.
contract SovrLedgerSettlerTest is LedgerFixture {
    uint128 internal constant A = 1; // alice
    uint128 internal constant B = 2; // bob
    uint128 internal constant C = 3; // carol
    uint128 internal constant SETTLER_ID = RESERVED_ID_BIT | (uint128(1) << 125) | 7;

    address internal settler = makeAddr("settler");

    function setUp() public override {
        super.setUp();
        bytes32 role = ledger.SETTLER_ROLE();
        vm.prank(owner);
        ledger.grantRole(role, settler);
        _open(alice, A);
        _open(bob, B);
        _open(carol, C);
        _fund(A, 1000);
        _fund(C, 1000);
    }

    function _authorities(address a, address b) internal pure returns (address[] memory list) {
        list = new address[](2);
        list[0] = a;
        list[1] = b;
    }

    function test_CreateTransfersFor_OnlySettlers() public {
        bytes32 role = ledger.SETTLER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, role)
        );
        vm.prank(alice);
        ledger.createTransfersFor(_authorities(alice, alice), _two(_tx(10, A, B, 1), _tx(11, A, B, 1)));
        assertFalse(_hasTransfer(10));
    }

    function test_CreateTransfersFor_RefusesMalformedBatches() public {
        vm.startPrank(settler);
        vm.expectRevert(ISovrLedger.EmptyBatch.selector);
        ledger.createTransfersFor(new address[](0), new ISovrLedger.Transfer[](0));
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.BatchLengthMismatch.selector, uint256(1), uint256(2)));
        ledger.createTransfersFor(new address[](1), _two(_tx(10, A, B, 1), _tx(11, A, B, 1)));
        vm.stopPrank();
    }

    function test_CreateTransfersFor_EachMemberWithItsOwnAuthority() public {
        ISovrLedger.Transfer[] memory batch = _three(
            _tx(SETTLER_ID, A, B, 100), // alice's own money, in the settler's reserved range: applied
            _tx(12, C, B, 100), // carol's money with alice's authority: refused
            _txFlags(13, C, B, 100, LINKED) // no linked chains in a settler's batch
        );
        address[] memory authorities = new address[](3);
        authorities[0] = alice;
        authorities[1] = alice;
        authorities[2] = carol;
        vm.expectEmit(address(ledger));
        emit ISovrLedger.TransferRejected(12, 1, ISovrLedger.TransferResult.NotAuthorized);
        vm.expectEmit(address(ledger));
        emit ISovrLedger.TransferRejected(13, 2, ISovrLedger.TransferResult.LinkedEventChainOpen);
        vm.prank(settler);
        ISovrLedger.TransferResult[] memory results = ledger.createTransfersFor(authorities, batch);
        assertEq(uint8(results[0]), uint8(ISovrLedger.TransferResult.Ok));
        assertEq(uint8(results[1]), uint8(ISovrLedger.TransferResult.NotAuthorized));
        assertEq(uint8(results[2]), uint8(ISovrLedger.TransferResult.LinkedEventChainOpen));
        _assertBalances(A, 0, 100, 0, 1000);
        _assertBalances(C, 0, 0, 0, 1000);
        // Sent again: the settler's id answers `Exists`, and nothing moves twice.
        vm.prank(settler);
        results = ledger.createTransfersFor(authorities, batch);
        assertEq(uint8(results[0]), uint8(ISovrLedger.TransferResult.Exists));
        _assertBalances(A, 0, 100, 0, 1000);
    }

    function test_ASettlersReservationResolvesOnlyThroughASettler() public {
        vm.prank(settler);
        ledger.createTransferFor(alice, _pendingTx(SETTLER_ID, A, B, 300, 1 days));
        // Neither the payer nor the payee resolves it directly...
        ISovrLedger.TransferResult refused = ISovrLedger.TransferResult.NotAuthorized;
        bytes4 selector = ISovrLedger.NotAuthorized.selector;
        _expectRejected(alice, _postTx(20, SETTLER_ID, AMOUNT_MAX), refused, selector);
        _expectRejected(bob, _voidTx(21, SETTLER_ID), refused, selector);
        // ...a settler does, with the payer's authority...
        vm.prank(settler);
        ledger.createTransferFor(alice, _postTx(SETTLER_ID + 1, SETTLER_ID, 100));
        _assertBalances(A, 0, 100, 0, 1000);
        // ...and once expired, anyone releases what a settler reserved.
        vm.prank(settler);
        ledger.createTransferFor(alice, _pendingTx(SETTLER_ID + 2, A, B, 50, 1 days));
        vm.warp(block.timestamp + 1 days);
        vm.prank(mallory);
        ledger.expirePendingTransfer(SETTLER_ID + 2);
        _assertBalances(A, 0, 100, 0, 1000);
    }
}
