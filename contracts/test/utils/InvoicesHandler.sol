// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";

import {ISovrInvoices} from "../../src/interfaces/ISovrInvoices.sol";
import {SovrCredit} from "../../src/SovrCredit.sol";
import {SovrInvoices} from "../../src/SovrInvoices.sol";
import {SovrLedger} from "../../src/SovrLedger.sol";

/// @title Stateful fuzzing handler for SovrInvoices on the real ledger
/// @notice Payees issue invoices (some partial, some dated), payers pay them with amounts that are right,
/// too small, too large or zero and with payment ids that repeat, payees cancel, time passes, and the owner
/// grants credit lines. The handler records every payment the invoices contract accepted; the invariant
/// test compares that record with the invoices' own figures and with the ledger's transfers and balances.
contract InvoicesHandler is Test {
    uint128 internal constant ISSUER = 1;
    uint128 internal constant FUNDS = 10_000e6;
    uint128 internal constant MAX_INVOICE = 3_000e6;
    uint256 internal constant PAYEES = 2;
    uint256 internal constant PAYERS = 4;
    /// @dev Few payment ids, so that the same one is tried again often.
    uint64 internal constant PAYMENT_IDS = 4;

    SovrLedger public ledger;
    SovrCredit public credit;
    SovrInvoices public invoices;
    address internal admin;
    /// @dev 0-1 payees, 2-5 payers (the last one never gets an account of its own before it pays).
    address[PAYEES + PAYERS] internal actors;

    /// @notice Every accepted payment: its ledger transfer id and amount.
    uint128[] public paymentTransferIds;
    uint128[] public paymentAmounts;
    /// @notice What each payer paid, and what each payee's account received, by the handler's record.
    mapping(address payer => uint256) public paidBy;
    mapping(uint128 accountId => uint256) public receivedBy;
    uint256 public resentAndRefused;

    constructor() {
        vm.warp(1_750_000_000);
        admin = makeAddr("admin");
        ledger = new SovrLedger(admin, 0);
        credit = new SovrCredit(ledger, admin, 0, type(uint96).max);
        invoices = new SovrInvoices(ledger);
        vm.startPrank(admin);
        ledger.grantRole(ledger.TREASURY_ROLE(), address(credit));
        ledger.grantRole(ledger.CREDIT_ROLE(), address(credit));
        ledger.grantRole(ledger.SETTLER_ROLE(), address(invoices));
        credit.openIssuerAccount(ISSUER);
        vm.stopPrank();
        string[PAYEES + PAYERS] memory names = ["payee0", "payee1", "payer0", "payer1", "payer2", "newcomer"];
        for (uint256 i; i < actors.length; ++i) {
            actors[i] = makeAddr(names[i]);
            if (i < actors.length - 1) ledger.openPrimaryAccount(actors[i]);
        }
        for (uint256 i = PAYEES; i < actors.length - 1; ++i) {
            vm.prank(admin);
            credit.issueTo(uint128(i), actors[i], FUNDS, bytes32(0));
        }
    }

    // ================================================================ actions

    /// @notice A payee issues an invoice: any amount up to MAX_INVOICE, partial or not, sometimes dated.
    function create(uint256 seed) external {
        address payee = actors[seed % PAYEES];
        uint128 amount = uint128(bound(seed >> 8, 1, MAX_INVOICE));
        address payer = (seed >> 140) % 3 == 0 ? address(0) : actors[PAYEES + (seed >> 142) % PAYERS];
        uint40 dueAt = (seed >> 150) % 2 == 0 ? 0 : uint40(block.timestamp + (seed >> 160) % 30 days);
        vm.prank(payee);
        invoices.createInvoice(
            ledger.primaryAccountId(payee),
            amount,
            payer,
            dueAt,
            (seed >> 200) % 2 == 0,
            "ref",
            new ISovrInvoices.LineItem[](0)
        );
    }

    /// @notice A payer pays an invoice: the rest, a part, more than the rest or nothing, with a payment id
    /// that may have been used before (on this invoice or another).
    function pay(uint256 seed) external {
        uint64 count = invoices.invoiceCount();
        if (count == 0) return;
        uint64 id = uint64(1 + seed % count);
        address payer = actors[PAYEES + (seed >> 64) % PAYERS];
        ISovrInvoices.Invoice memory before = invoices.getInvoice(id);
        uint256 remaining = before.amount - before.paid;
        uint256 pick = (seed >> 72) % 5;
        uint256 random = (seed >> 80) % (remaining + 2);
        uint256 tooMuch = remaining + 1;
        uint128 amount =
            uint128(pick == 0 ? remaining : pick == 1 ? remaining / 2 : pick == 2 ? tooMuch : pick == 3 ? 0 : random);
        uint64 paymentId = uint64((seed >> 200) % PAYMENT_IDS);
        uint128 transferId = invoices.paymentTransferId(id, paymentId);
        bool usedBefore = _recorded(transferId);
        vm.prank(payer);
        try invoices.pay(id, amount, paymentId) {
            paymentTransferIds.push(transferId);
            paymentAmounts.push(amount);
            paidBy[payer] += amount;
            receivedBy[before.payeeAccountId] += amount;
            // A payment id already applied must never be applied again.
            if (usedBefore) paymentTransferIds.push(0);
        } catch {
            if (usedBefore) ++resentAndRefused;
        }
    }

    /// @notice A payee (or a stranger, who is refused) cancels an invoice.
    function cancel(uint256 seed) external {
        uint64 count = invoices.invoiceCount();
        if (count == 0) return;
        uint64 id = uint64(1 + seed % count);
        vm.prank(actors[(seed >> 64) % actors.length]);
        try invoices.cancel(id) {} catch {}
    }

    /// @notice Time passes (invoices fall overdue; overdue ones stay payable).
    function warp(uint256 seed) external {
        vm.warp(block.timestamp + seed % 10 days);
    }

    /// @notice The owner grants a payer a credit line, so that some payments draw on credit.
    function grantLine(uint256 seed) external {
        address payer = actors[PAYEES + seed % (PAYERS - 1)];
        vm.prank(admin);
        credit.setCreditLine(ledger.primaryAccountId(payer), uint128((seed >> 8) % MAX_INVOICE), 0);
    }

    // ================================================================ reads for the invariants

    function paymentCount() external view returns (uint256) {
        return paymentTransferIds.length;
    }

    function actor(uint256 index) external view returns (address) {
        return actors[index];
    }

    function _recorded(uint128 transferId) internal view returns (bool) {
        for (uint256 i; i < paymentTransferIds.length; ++i) {
            if (paymentTransferIds[i] == transferId) return true;
        }
        return false;
    }
}
