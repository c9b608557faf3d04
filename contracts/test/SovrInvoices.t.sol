// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {ISovrInvoices} from "../src/interfaces/ISovrInvoices.sol";
import {ISovrLedger} from "../src/interfaces/ISovrLedger.sol";
import {SovrInvoices} from "../src/SovrInvoices.sol";
import {LedgerFixture} from "./utils/LedgerFixture.sol";

/// @notice Unit and fuzz tests of SovrInvoices and the ledger's settler path: every function, event and
/// custom error, on the real ledger wired as Ignition wires it (SETTLER_ROLE for the invoices contract).
contract SovrInvoicesTest is LedgerFixture {
    uint16 internal constant INVOICE = 4;
    uint40 internal constant DAY = 1 days;
    uint128 internal constant HUNDRED = 100e6;
    uint128 internal constant PAYER_FUNDS = 1_000e6;
    uint128 internal constant EUR_ACCOUNT = 77;

    SovrInvoices internal invoices;
    /// @dev alice bills from her primary account; bob pays from his.
    uint128 internal aliceAccount;
    uint128 internal bobAccount;

    function setUp() public override {
        super.setUp();
        invoices = new SovrInvoices(ledger);
        bytes32 settler = ledger.SETTLER_ROLE();
        vm.prank(owner);
        ledger.grantRole(settler, address(invoices));
        aliceAccount = ledger.openPrimaryAccount(alice);
        bobAccount = ledger.openPrimaryAccount(bob);
        _fund(bobAccount, PAYER_FUNDS);
    }

    // ================================================================ helpers

    function _noItems() internal pure returns (ISovrInvoices.LineItem[] memory) {
        return new ISovrInvoices.LineItem[](0);
    }

    function _issue(uint128 amount, address payer, uint40 dueAt, bool allowsPartial) internal returns (uint64) {
        vm.prank(alice);
        return invoices.createInvoice(aliceAccount, amount, payer, dueAt, allowsPartial, "INV-1", _noItems());
    }

    function _pay(address payer, uint64 id, uint128 amount, uint64 paymentId) internal {
        vm.prank(payer);
        invoices.pay(id, amount, paymentId);
    }

    function _items() internal pure returns (ISovrInvoices.LineItem[] memory items) {
        items = new ISovrInvoices.LineItem[](2);
        items[0] = ISovrInvoices.LineItem("Design, hours", 7_500, 80e6);
        items[1] = ISovrInvoices.LineItem("Hosting", 1_000, 15e6);
    }

    function _create(uint128 amount, ISovrInvoices.LineItem[] memory items) internal returns (uint64) {
        vm.prank(alice);
        return invoices.createInvoice(aliceAccount, amount, bob, 0, false, "", items);
    }

    // ================================================================ createInvoice

    function test_CreateInvoice_StoresTheWordAndEmitsEverythingElse() public {
        ISovrInvoices.LineItem[] memory items = _items();
        uint40 due = uint40(block.timestamp) + 30 * DAY;
        vm.expectEmit(address(invoices));
        emit ISovrInvoices.InvoiceIssued(1, aliceAccount, bob, alice, 615e6, due, true, "INV-2026-014", items);
        vm.prank(alice);
        uint64 id = invoices.createInvoice(aliceAccount, 615e6, bob, due, true, "INV-2026-014", items);
        assertEq(id, 1);
        assertEq(invoices.invoiceCount(), 1);
        ISovrInvoices.Invoice memory invoice = invoices.getInvoice(id);
        assertEq(invoice.payeeAccountId, aliceAccount);
        assertEq(invoice.amount, 615e6);
        assertEq(invoice.paid, 0);
        assertEq(invoice.dueAt, due);
        assertEq(uint8(invoice.status), uint8(ISovrInvoices.InvoiceStatus.Open));
        assertTrue(invoice.allowsPartial);
        assertFalse(invoice.overdue);
        assertEq(_issue(HUNDRED, address(0), 0, false), 2);
    }

    function test_CreateInvoice_ByAnOperatorOfThePayee() public {
        vm.prank(alice);
        ledger.setOperator(carol, true);
        vm.prank(carol);
        uint64 id = invoices.createInvoice(aliceAccount, HUNDRED, bob, 0, false, "", _noItems());
        assertEq(invoices.getInvoice(id).payeeAccountId, aliceAccount);
    }

    function test_CreateInvoice_RefusesBadInput() public {
        uint40 now_ = uint40(block.timestamp);
        ISovrInvoices.LineItem[] memory none = _noItems();
        vm.startPrank(alice);
        vm.expectRevert(ISovrInvoices.InvoiceAmountZero.selector);
        invoices.createInvoice(aliceAccount, 0, bob, 0, false, "", none);
        uint128 tooLarge = uint128(type(uint96).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.InvoiceAmountTooLarge.selector, tooLarge));
        invoices.createInvoice(aliceAccount, tooLarge, bob, 0, false, "", none);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.DueDateInPast.selector, now_ - 1));
        invoices.createInvoice(aliceAccount, HUNDRED, bob, now_ - 1, false, "", none);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.ReferenceTooLong.selector, 65));
        invoices.createInvoice(aliceAccount, HUNDRED, bob, 0, false, string(new bytes(65)), none);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.PayerIsPayee.selector, alice));
        invoices.createInvoice(aliceAccount, HUNDRED, alice, 0, false, "", none);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountNotFound.selector, uint128(999)));
        invoices.createInvoice(999, HUNDRED, bob, 0, false, "", none);
        vm.stopPrank();
        // Due now is still on time.
        vm.prank(alice);
        invoices.createInvoice(aliceAccount, HUNDRED, bob, now_, false, string(new bytes(64)), none);
        assertEq(invoices.invoiceCount(), 1);
    }

    function test_CreateInvoice_OnlyIntoTheCallersSovrAccount() public {
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.NotPayee.selector, aliceAccount, mallory));
        vm.prank(mallory);
        invoices.createInvoice(aliceAccount, HUNDRED, bob, 0, false, "", _noItems());
        _open(alice, EUR_ACCOUNT, EUR, DEBITS_MUST_NOT_EXCEED_CREDITS);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.PayeeAccountNotSovr.selector, EUR_ACCOUNT));
        vm.prank(alice);
        invoices.createInvoice(EUR_ACCOUNT, HUNDRED, bob, 0, false, "", _noItems());
        assertEq(invoices.invoiceCount(), 0);
    }

    function test_CreateInvoice_LineItemsMustAddUp() public {
        ISovrInvoices.LineItem[] memory items = _items();
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.LineItemsDoNotAddUp.selector, 615e6, uint128(600e6)));
        _create(600e6, items);
        items[1].description = "";
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.LineItemDescriptionInvalid.selector, 1, 0));
        _create(615e6, items);
        items[1].description = string(new bytes(121));
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.LineItemDescriptionInvalid.selector, 1, 121));
        _create(615e6, items);
        items[1].description = "Hosting";
        items[1].quantity = 0;
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.LineItemQuantityZero.selector, 1));
        _create(600e6, items);
        items[1].quantity = 1;
        items[1].unitPrice = 1;
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.LineItemTotalInexact.selector, 1));
        _create(600e6, items);
        ISovrInvoices.LineItem[] memory many = new ISovrInvoices.LineItem[](51);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.TooManyLineItems.selector, 51));
        _create(HUNDRED, many);
        assertEq(invoices.invoiceCount(), 0);
        assertEq(_create(615e6, _items()), 1);
    }

    // ================================================================ pay

    function test_Pay_MovesTheFundsAndMarksPaidInOneCall() public {
        uint64 id = _issue(HUNDRED, bob, 0, false);
        uint128 transferId = invoices.paymentTransferId(id, 7);
        vm.expectEmit(address(invoices));
        emit ISovrInvoices.InvoicePaymentReceived(id, bob, 7, HUNDRED, HUNDRED);
        vm.expectEmit(true, true, true, true, address(ledger));
        emit ISovrLedger.TransferCreated(
            transferId, bobAccount, aliceAccount, HUNDRED, 0, bytes32(uint256(id)), _details(0, INVOICE, USD, 0)
        );
        _pay(bob, id, HUNDRED, 7);
        ISovrInvoices.Invoice memory invoice = invoices.getInvoice(id);
        assertEq(uint8(invoice.status), uint8(ISovrInvoices.InvoiceStatus.Paid));
        assertEq(invoice.paid, HUNDRED);
        _assertBalances(aliceAccount, 0, 0, 0, HUNDRED);
        ISovrLedger.StoredTransfer memory stored = ledger.getTransfer(transferId);
        assertEq(stored.debitAccountId, bobAccount);
        assertEq(stored.creditAccountId, aliceAccount);
        assertEq(stored.code, INVOICE);
    }

    function test_Pay_PartialPaymentsWhenAllowed() public {
        uint64 id = _issue(HUNDRED, bob, 0, true);
        _pay(bob, id, 30e6, 1);
        assertEq(uint8(invoices.getInvoice(id).status), uint8(ISovrInvoices.InvoiceStatus.PartiallyPaid));
        // Anyone may pay, not only the payer named.
        _fund(ledger.openPrimaryAccount(carol), HUNDRED);
        _pay(carol, id, 70e6, 2);
        ISovrInvoices.Invoice memory invoice = invoices.getInvoice(id);
        assertEq(uint8(invoice.status), uint8(ISovrInvoices.InvoiceStatus.Paid));
        assertEq(invoice.paid, HUNDRED);
        _assertBalances(aliceAccount, 0, 0, 0, HUNDRED);
    }

    function test_Pay_RefusesWhatAnInvoiceDoesNotAsk() public {
        uint64 whole = _issue(HUNDRED, bob, 0, false);
        uint64 partly = _issue(HUNDRED, bob, 0, true);
        vm.startPrank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(ISovrInvoices.PartialPaymentNotAllowed.selector, whole, 40e6, uint256(HUNDRED))
        );
        invoices.pay(whole, 40e6, 1);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.Overpayment.selector, whole, HUNDRED + 1, HUNDRED));
        invoices.pay(whole, HUNDRED + 1, 1);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.PaymentAmountZero.selector, whole));
        invoices.pay(whole, 0, 1);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.InvoiceNotFound.selector, uint64(99)));
        invoices.pay(99, HUNDRED, 1);
        invoices.pay(partly, 60e6, 1);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.Overpayment.selector, partly, 41e6, 40e6));
        invoices.pay(partly, 41e6, 2);
        invoices.pay(partly, 40e6, 2);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.InvoiceAlreadyPaid.selector, partly));
        invoices.pay(partly, 1, 3);
        vm.stopPrank();
        _assertBalances(bobAccount, 0, HUNDRED, 0, PAYER_FUNDS);
    }

    function test_Pay_ResendingAPaymentIdNeverChargesTwice() public {
        uint64 id = _issue(HUNDRED, bob, 0, true);
        _pay(bob, id, 25e6, 42);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.Exists.selector, invoices.paymentTransferId(id, 42)));
        _pay(bob, id, 25e6, 42);
        assertEq(invoices.getInvoice(id).paid, 25e6);
        _assertBalances(bobAccount, 0, 25e6, 0, PAYER_FUNDS);
    }

    function test_Pay_RefusedOnACancelledInvoice() public {
        uint64 id = _issue(HUNDRED, bob, 0, false);
        vm.prank(alice);
        invoices.cancel(id);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.InvoiceIsCancelled.selector, id));
        _pay(bob, id, HUNDRED, 1);
        _assertBalances(aliceAccount, 0, 0, 0, 0);
    }

    function test_Pay_ShortOfFundsUsesACreditLine() public {
        uint64 id = _issue(PAYER_FUNDS + HUNDRED, bob, 0, false);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.ExceedsCredits.selector, invoices.paymentTransferId(id, 1)));
        _pay(bob, id, PAYER_FUNDS + HUNDRED, 1);
        _grantLine(bobAccount, HUNDRED, 0);
        _pay(bob, id, PAYER_FUNDS + HUNDRED, 1);
        assertEq(uint8(invoices.getInvoice(id).status), uint8(ISovrInvoices.InvoiceStatus.Paid));
        assertEq(ledger.availableBalance(bobAccount), 0);
    }

    function test_Pay_APayerWithoutAnAccountOrWhileThePauseHolds() public {
        uint64 id = _issue(HUNDRED, address(0), 0, false);
        uint128 transferId = invoices.paymentTransferId(id, 1);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.DebitAccountNotFound.selector, transferId));
        _pay(carol, id, HUNDRED, 1);
        bytes32 pauser = ledger.PAUSER_ROLE();
        vm.startPrank(owner);
        ledger.grantRole(pauser, owner);
        ledger.pause();
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.LedgerPaused.selector, transferId));
        _pay(bob, id, HUNDRED, 1);
        assertEq(uint8(invoices.getInvoice(id).status), uint8(ISovrInvoices.InvoiceStatus.Open));
    }

    // ================================================================ cancel and overdue

    function test_Cancel_ByThePayeeOrItsOperatorOnly() public {
        uint64 id = _issue(HUNDRED, bob, 0, true);
        _pay(bob, id, 10e6, 1);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.NotPayee.selector, aliceAccount, bob));
        vm.prank(bob);
        invoices.cancel(id);
        vm.prank(alice);
        ledger.setOperator(carol, true);
        vm.expectEmit(address(invoices));
        emit ISovrInvoices.InvoiceCancelled(id, carol, 10e6);
        vm.prank(carol);
        invoices.cancel(id);
        ISovrInvoices.Invoice memory invoice = invoices.getInvoice(id);
        assertEq(uint8(invoice.status), uint8(ISovrInvoices.InvoiceStatus.Cancelled));
        assertEq(invoice.paid, 10e6);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.InvoiceIsCancelled.selector, id));
        vm.prank(alice);
        invoices.cancel(id);
        uint64 paid = _issue(HUNDRED, bob, 0, false);
        _pay(bob, paid, HUNDRED, 1);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.InvoiceAlreadyPaid.selector, paid));
        vm.prank(alice);
        invoices.cancel(paid);
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.InvoiceNotFound.selector, uint64(9)));
        invoices.cancel(9);
    }

    function test_Overdue_IsDerivedFromTheDueDate() public {
        uint40 due = uint40(block.timestamp) + DAY;
        uint64 late = _issue(HUNDRED, bob, due, true);
        uint64 paidInTime = _issue(HUNDRED, bob, due, false);
        uint64 undated = _issue(HUNDRED, bob, 0, false);
        _pay(bob, paidInTime, HUNDRED, 1);
        vm.warp(due);
        assertFalse(invoices.getInvoice(late).overdue);
        vm.warp(uint256(due) + 1);
        assertTrue(invoices.getInvoice(late).overdue);
        assertFalse(invoices.getInvoice(paidInTime).overdue);
        assertFalse(invoices.getInvoice(undated).overdue);
        _pay(bob, late, 10e6, 1);
        assertTrue(invoices.getInvoice(late).overdue);
        vm.prank(alice);
        invoices.cancel(late);
        assertFalse(invoices.getInvoice(late).overdue);
    }

    // ================================================================ the ledger's settler path

    function test_CreateTransferFor_OnlyForSettlersWithTheNamedAuthority() public {
        ISovrLedger.Transfer memory t = _tx(5, bobAccount, aliceAccount, 1);
        bytes32 settler = ledger.SETTLER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, mallory, settler)
        );
        vm.prank(mallory);
        ledger.createTransferFor(bob, t);
        vm.prank(owner);
        ledger.grantRole(settler, carol);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.NotAuthorized.selector, uint128(5)));
        vm.prank(carol);
        ledger.createTransferFor(mallory, t);
        vm.prank(carol);
        ledger.createTransferFor(bob, t);
        _assertBalances(aliceAccount, 0, 0, 0, 1);
    }

    function test_PaymentTransferIds_SitInTheReservedRange() public view {
        assertEq(invoices.paymentTransferId(3, 9), (uint128(3) << 126) | (uint128(3) << 64) | 9);
        assertEq(address(invoices.ledger()), address(ledger));
    }

    // ================================================================ fuzz

    /// @dev Any sequence of partial payments: never more than the amount, status follows what is paid,
    /// and the ledger moved exactly what the invoice recorded.
    function testFuzz_PartialPayments_NeverExceedTheAmount(uint128 amount, uint128[6] memory payments) public {
        amount = uint128(bound(amount, 1, PAYER_FUNDS));
        uint64 id = _issue(amount, bob, 0, true);
        uint128 paid;
        for (uint256 i; i < payments.length; ++i) {
            uint128 payment = uint128(bound(payments[i], 0, amount));
            uint128 remaining = amount - paid;
            vm.prank(bob);
            try invoices.pay(id, payment, uint64(i)) {
                assertTrue(payment > 0 && payment <= remaining, "accepted a payment it should refuse");
                paid += payment;
            } catch {
                assertTrue(payment == 0 || payment > remaining || remaining == 0, "refused a payment it should take");
            }
            ISovrInvoices.Invoice memory invoice = invoices.getInvoice(id);
            assertEq(invoice.paid, paid);
            assertLe(invoice.paid, invoice.amount);
            ISovrInvoices.InvoiceStatus expected = paid == amount
                ? ISovrInvoices.InvoiceStatus.Paid
                : paid == 0 ? ISovrInvoices.InvoiceStatus.Open : ISovrInvoices.InvoiceStatus.PartiallyPaid;
            assertEq(uint8(invoice.status), uint8(expected));
        }
        _assertBalances(aliceAccount, 0, 0, 0, paid);
        _assertBalances(bobAccount, 0, paid, 0, PAYER_FUNDS);
    }

    /// @dev Line items with any quantity and a price in cents add up exactly, and their sum is the amount.
    function testFuzz_LineItemsInCents_AddUpExactly(uint64[3] memory quantities, uint32[3] memory cents) public {
        ISovrInvoices.LineItem[] memory items = new ISovrInvoices.LineItem[](3);
        uint256 total;
        for (uint256 i; i < 3; ++i) {
            uint64 quantity = uint64(bound(quantities[i], 1, 1e9));
            uint128 unitPrice = uint128(cents[i]) * 1e4;
            items[i] = ISovrInvoices.LineItem("line", quantity, unitPrice);
            total += uint256(quantity) * unitPrice / 1000;
        }
        vm.assume(total > 0 && total <= type(uint96).max);
        uint64 id = _create(uint128(total), items);
        assertEq(invoices.getInvoice(id).amount, total);
    }

    /// @dev Payment transfer ids never collide across invoices or payments, and never leave the reserved range.
    function testFuzz_PaymentTransferIds_AreDistinctAndReserved(uint64 a, uint64 p, uint64 b, uint64 q) public view {
        a = uint64(bound(a, 1, (uint64(1) << 62) - 1));
        b = uint64(bound(b, 1, (uint64(1) << 62) - 1));
        vm.assume(a != b || p != q);
        uint128 first = invoices.paymentTransferId(a, p);
        assertTrue(first != invoices.paymentTransferId(b, q));
        assertGe(first, uint128(3) << 126);
        assertTrue(first != type(uint128).max);
    }

    /// @dev Nobody but the payer's own call moves the payer's funds to an invoice.
    function testFuzz_Pay_DebitsOnlyTheCaller(address stranger, uint128 amount) public {
        vm.assume(stranger != bob && stranger != alice && stranger != address(0));
        amount = uint128(bound(amount, 1, PAYER_FUNDS));
        uint64 id = _issue(amount, bob, 0, false);
        vm.prank(stranger);
        try invoices.pay(id, amount, 1) {
            assertTrue(false, "a caller without funds paid");
        } catch {}
        _assertBalances(bobAccount, 0, 0, 0, PAYER_FUNDS);
    }
}
