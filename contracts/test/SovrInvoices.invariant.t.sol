// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";

import {ISovrInvoices} from "../src/interfaces/ISovrInvoices.sol";
import {ISovrLedger} from "../src/interfaces/ISovrLedger.sol";
import {SovrCodes} from "../src/libraries/SovrCodes.sol";
import {SovrInvoices} from "../src/SovrInvoices.sol";
import {SovrLedger} from "../src/SovrLedger.sol";
import {InvoicesHandler} from "./utils/InvoicesHandler.sol";

/// @title Invariants of SovrInvoices on the real ledger
/// @notice After every call of every random sequence: the invoices' payments are exactly the ledger's
/// invoice transfers (same ids, same amounts, the same money out of payers and into payees), no payment id
/// was applied twice, no invoice holds more than its amount, and each status agrees with what was paid.
contract SovrInvoicesInvariantTest is Test {
    InvoicesHandler internal handler;

    function setUp() public {
        handler = new InvoicesHandler();
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](5);
        selectors[0] = InvoicesHandler.create.selector;
        selectors[1] = InvoicesHandler.pay.selector;
        selectors[2] = InvoicesHandler.cancel.selector;
        selectors[3] = InvoicesHandler.warp.selector;
        selectors[4] = InvoicesHandler.grantLine.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice Every invariant, after every call.
    function invariant_invoices() public view {
        SovrInvoices invoices = handler.invoices();
        SovrLedger ledger = handler.ledger();

        // The sum of invoice payments equals the ledger transfers that paid invoices, one for one.
        uint256 transferred;
        uint256 recorded;
        for (uint256 i; i < handler.paymentCount(); ++i) {
            uint128 transferId = handler.paymentTransferIds(i);
            assertTrue(transferId != 0, "a payment id was applied twice");
            ISovrLedger.StoredTransfer memory t = ledger.getTransfer(transferId);
            assertEq(t.code, SovrCodes.TRANSFER_INVOICE, "an invoice payment with another code");
            assertEq(t.amount, handler.paymentAmounts(i), "the ledger moved another amount");
            transferred += t.amount;
            recorded += handler.paymentAmounts(i);
        }
        uint256 paidOnInvoices;
        for (uint64 id = 1; id <= invoices.invoiceCount(); ++id) {
            ISovrInvoices.Invoice memory invoice = invoices.getInvoice(id);
            assertLe(invoice.paid, invoice.amount, "an invoice was paid above its amount");
            ISovrInvoices.InvoiceStatus status = invoice.status;
            if (status == ISovrInvoices.InvoiceStatus.Open) assertEq(invoice.paid, 0, "open with payments");
            if (status == ISovrInvoices.InvoiceStatus.Paid) assertEq(invoice.paid, invoice.amount, "paid short");
            if (status == ISovrInvoices.InvoiceStatus.PartiallyPaid) {
                assertTrue(invoice.allowsPartial, "partly paid without allowing it");
                assertTrue(invoice.paid > 0 && invoice.paid < invoice.amount, "partly paid out of range");
            }
            if (status == ISovrInvoices.InvoiceStatus.Cancelled) assertLt(invoice.paid, invoice.amount);
            paidOnInvoices += invoice.paid;
        }
        assertEq(paidOnInvoices, transferred, "invoice payments differ from the ledger's invoice transfers");
        assertEq(recorded, transferred);

        // Payees receive, and payers pay, only through invoices here: their balances say the same.
        for (uint256 i; i < 6; ++i) {
            address who = handler.actor(i);
            uint128 account = ledger.primaryAccountId(who);
            if (ledger.accountOwner(account) == address(0)) continue;
            ISovrLedger.Account memory a = ledger.getAccount(account);
            if (i < 2) assertEq(a.creditsPosted, handler.receivedBy(account), "a payee received other than paid");
            else assertEq(a.debitsPosted, handler.paidBy(who), "a payer was charged other than it paid");
            assertEq(a.debitsPending + a.creditsPending, 0);
        }
    }
}
