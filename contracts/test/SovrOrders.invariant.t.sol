// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";

import {ISovrInvoices} from "../src/interfaces/ISovrInvoices.sol";
import {ISovrLedger} from "../src/interfaces/ISovrLedger.sol";
import {ISovrOrders} from "../src/interfaces/ISovrOrders.sol";
import {SovrLedger} from "../src/SovrLedger.sol";
import {SovrOrders} from "../src/SovrOrders.sol";
import {OrdersHandler} from "./utils/OrdersHandler.sol";

/// @title Invariants of SovrOrders on the real ledger
/// @notice After every call of every random sequence: no period was charged twice, early, beyond the
/// authorization, above the cap, after a cancellation or after it was given up; what each order charged in total
/// stays within its authorization; and the ledger's balances are exactly the charges (and the money payers moved
/// away themselves), with one paid invoice per subscription charge.
contract SovrOrdersInvariantTest is Test {
    OrdersHandler internal handler;

    function setUp() public {
        handler = new OrdersHandler();
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](8);
        selectors[0] = OrdersHandler.createOrder.selector;
        selectors[1] = OrdersHandler.subscribe.selector;
        selectors[2] = OrdersHandler.charge.selector;
        selectors[3] = OrdersHandler.cancel.selector;
        selectors[4] = OrdersHandler.setAmount.selector;
        selectors[5] = OrdersHandler.money.selector;
        selectors[6] = OrdersHandler.pauseOrResume.selector;
        selectors[7] = OrdersHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice Every invariant, after every call.
    function invariant_orders() public view {
        SovrOrders orders = handler.orders();
        SovrLedger ledger = handler.ledger();

        (
            uint256 chargedTwice,
            uint256 chargedEarly,
            uint256 chargedBeyondAuthorization,
            uint256 chargedAboveCap,
            uint256 chargedAfterCancelling,
            uint256 chargedAfterGivingUp
        ) = handler.breaches();
        assertEq(chargedTwice, 0, "a period was charged twice");
        assertEq(chargedEarly, 0, "a period was charged before it fell due");
        assertEq(chargedBeyondAuthorization, 0, "a period beyond the authorization was charged");
        assertEq(chargedAboveCap, 0, "a charge was above the cap");
        assertEq(chargedAfterCancelling, 0, "a cancelled order was charged");
        assertEq(chargedAfterGivingUp, 0, "a given-up period was charged");

        // In total, no order charged more than its cap for each period it authorizes.
        for (uint64 id = 1; id <= orders.orderCount(); ++id) {
            ISovrOrders.Order memory order = orders.getOrder(id);
            assertLe(handler.chargedTotal(id), uint256(order.maxAmount) * order.periods, "beyond the authorization");
        }

        // The ledger agrees: payees received exactly the charges, payers paid exactly the charges (plus what they
        // moved away themselves), and nothing is left pending.
        for (uint256 i; i < 5; ++i) {
            address who = handler.actor(i);
            uint128 account = ledger.primaryAccountId(who);
            ISovrLedger.Account memory a = ledger.getAccount(account);
            if (i < 2) assertEq(a.creditsPosted, handler.receivedByOrders(account), "a payee received other");
            else assertEq(a.debitsPosted, handler.paidByOrders(who) + handler.movedAway(who), "a payer paid other");
            assertEq(a.debitsPending + a.creditsPending, 0);
        }

        // Each subscription charge issued one paid invoice.
        uint64 invoiceCount = handler.invoices().invoiceCount();
        assertEq(invoiceCount, handler.subscriptionCharges(), "one invoice per subscription charge");
        for (uint64 id = 1; id <= invoiceCount; ++id) {
            ISovrInvoices.Invoice memory invoice = handler.invoices().getInvoice(id);
            assertEq(uint8(invoice.status), uint8(ISovrInvoices.InvoiceStatus.Paid));
        }
    }
}
