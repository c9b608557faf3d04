// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// ============================================================================================================
// COVERAGE CHECKLIST: every TransferResult code (except Ok) and every custom error of ISovrLedger.sol,
// SovrCredit.sol and SovrToken.sol, with a test that produces it. Files: L = SovrLedger.t.sol,
// T = SovrLedgerTwoPhase.t.sol, B = SovrLedgerBatch.t.sol, K = SovrToken.t.sol, R = SovrRelay.t.sol,
// C = SovrCredit.t.sol. Transfer results are checked through `_expectRejected` (LedgerFixture.t.sol), which
// asserts the createTransfers result code, the TransferRejected event and, for the single path,
// vm.expectRevert(abi.encodeWithSelector(<Error>.selector, transferId)) on createTransfer, and that nothing
// changed.
//
// TransferResult (batch result + single-path error)
//  LinkedEventFailed ............... B test_chain_failureRollsBackEveryMember, test_chain_existsBreaksTheChain,
//                                    testFuzz_chainIsAllOrNothing (batch result only, see note 1)
//  LinkedEventChainOpen ............ B test_chain_openChainIsRolledBack, test_chain_openAfterTheChainBroke,
//                                    test_chain_singleTrailingLinkedMember (+ single revert); L test_reject_idChecks;
//                                    R test_relay_linkedFlagIsAnOpenChain
//  ReservedFlag, IdMustNotBeZero, IdMustNotBeIntMax, IdReserved ........ L test_reject_idChecks
//  ExistsWithDifferentFlags/PendingId/Timeout/DebitAccountId/CreditAccountId/Amount/UserData/Ledger/Code
//                                    L test_exists_eachDifferentField, test_exists_precedenceFollowsFieldOrder,
//                                    test_exists_balancingComparesActualAmount; T test_exists_postAndVoidFields,
//                                    test_exists_postAmounts, test_exists_pendingFields
//  Exists .......................... L test_exists_identicalResendChangesNothing,
//                                    testFuzz_idempotentResendReturnsExists; T test_exists_*;
//                                    R test_relay_replayFailsWithExists; C test_issue_creditsTheAccount
//  LedgerPaused .................... L test_pause_rolesAndEffects; T test_pause_voidsAndExpiriesStillWork;
//                                    B test_batch_pausedOnlyVoidsApply; K test_transfer_followsLedgerRules
//  FlagsAreMutuallyExclusive ....... T test_flagsAreMutuallyExclusive
//  DebitAccountIdMustNotBeZero, DebitAccountIdMustNotBeIntMax, CreditAccountIdMustNotBeZero,
//  CreditAccountIdMustNotBeIntMax, AccountsMustBeDifferent ............. L test_reject_accountIdChecks
//  PendingIdMustBeZero ............. L test_reject_fieldChecks; T test_pendingIdChecks
//  PendingIdMustNotBeZero, PendingIdMustNotBeIntMax, PendingIdMustBeDifferent ... T test_pendingIdChecks
//  TimeoutReservedForPendingTransfer L test_reject_fieldChecks; T test_pendingIdChecks (post with a timeout)
//  ClosingTransferMustBePending .... T test_closingMustBePending; B test_batch_manyResultCodesInOneBatch
//  LedgerMustNotBeZero, CodeMustNotBeZero .............................. L test_reject_fieldChecks
//  DebitAccountNotFound, CreditAccountNotFound, AccountsMustHaveTheSameLedger,
//  TransferMustHaveTheSameLedgerAsAccounts ............................. L test_reject_accountLookups
//  PendingTransferNotFound, PendingTransferNotPending .................. T test_pendingIdChecks
//  PendingTransferHasDifferentDebitAccountId/CreditAccountId/Ledger/Code T test_mismatchWithPendingTransfer
//  ExceedsPendingTransferAmount, PendingTransferHasDifferentAmount ..... T test_amountRules, test_statusPrecedence
//  PendingTransferAlreadyPosted .... T test_post_zeroReleasesEverything, test_statusPrecedence
//  PendingTransferAlreadyVoided .... T test_void_releasesAndRecords
//  PendingTransferExpired .......... T test_timeout_boundary (time-based), test_expire_releasesAndRecords (status)
//  NotAuthorized ................... L test_notAuthorized_strangerCannotDebit, test_operator_setRevokeAndDebit;
//                                    T test_auth_*, test_closingCredit_needsCreditOwnerAndExpiryReopens;
//                                    R test_relay_wrongSigner, test_relay_operatorSigner;
//                                    C test_redeem_needsOwnerAndOperatorApproval
//  DebitAccountAlreadyClosed, CreditAccountAlreadyClosed ............... L test_reject_closedAccounts;
//                                    T test_closingDebit_closesAndVoidReopens,
//                                    test_closedAccount_voidsStillWorkPostsDoNot
//  DebitAccountFrozen, CreditAccountFrozen ............................. L test_freeze_rolesAndEffects;
//                                    T test_freeze_voidsAndExpiriesStillWork
//  OverflowsDebitsPending, OverflowsCreditsPending ..................... L test_overflow_debitsAndCreditsPending
//  OverflowsDebitsPosted, OverflowsCreditsPosted ....................... L test_overflow_debitsAndCreditsPosted
//  OverflowsDebits, OverflowsCredits ................................... L test_overflow_debitsAndCreditsTotal
//      (96-bit balances: amounts near 2^96 on unbounded accounts opened by `treasury`, which holds TREASURY_ROLE)
//  OverflowsTimeout ................ T test_overflowsTimeout (vm.warp: created + timeout past the 32-bit ledger clock)
//  CreditLineExpired ............... L test_creditLine_expiry, test_creditLine_freeze
//  CreditLineFrozen ................ L test_creditLine_freeze, test_regression_zeroDebitAboveUsableLine
//  ExceedsCredits .................. L test_transfer_exceedsCreditsAtTheBoundary, test_creditLine_*
//  ExceedsDebits ................... L test_transfer_exceedsDebits; C test_redeem_cannotExceedIssuance
//
// Other ISovrLedger errors
//  AccountReservedFlag ............. L test_createAccount_revertsReservedFlag
//  AccountIdMustNotBeZero, AccountIdMustNotBeIntMax, AccountIdReserved . L test_createAccount_revertsIdZeroMaxReserved
//  AccountExists ................... L test_createAccount_revertsExistsBeforeOtherChecks;
//                                    C test_openIssuerAccount_onceAndWithLedgerRoles
//  AccountFlagsAreMutuallyExclusive, AccountLedgerMustNotBeZero, AccountCodeMustNotBeZero
//                                    L test_createAccount_revertsFlagsLedgerCode
//  UnboundedAccountNotAllowed ...... L test_createAccount_unboundedNeedsTreasuryRole;
//                                    C test_openIssuerAccount_onceAndWithLedgerRoles
//  AccountIndexExhausted ........... L test_createAccount_revertsIndexExhausted (vm.store of `_accountCount`, slot
//                                    checked against the live count first; 2^24-1 real accounts would take too long)
//  AccountNotFound ................. L test_getAccount_revertsNotFound, test_freeze_rolesAndEffects,
//                                    test_creditLine_errors, test_supplyAccount_setAndChecked
//  AccountFrozenStateUnchanged ..... L test_freeze_rolesAndEffects
//  CreditLineRequiresDebitLimit, CreditLineExpiryInPast, CreditLineLimitTooLarge, CreditLineNotFound
//                                    L test_creditLine_errors
//  InvalidOperator ................. L test_operator_revertsInvalid
//  SignatureExpired ................ R test_relay_expiredDeadline
//  InvalidSignature ................ R test_relay_badSignature, test_relay_wrongSigner, test_relay_otherChainId,
//                                    test_relay_otherDeployment, test_relay_erc1271Wallet,
//                                    testFuzz_relay_tamperedFieldFails
//  OnlyToken, OnlyRelay, OnlySelf .. L test_onlyHooks_refuseOthers; R test_relay_otherDeployment (OnlyRelay)
//  PendingTransferNotExpired ....... T test_timeout_zeroNeverExpires, test_timeout_boundary
//  AmountTooLarge .................. K test_transfer_amountTooLargeAndInvalidReceiver
//  InvalidTransferEncoding ......... B test_invalidEncoding_single, test_invalidEncoding_batchRevertsAsAWhole
//  EmptyBatch ...................... B test_batch_emptyReverts
//  (expirePendingTransfer also reverts with PendingTransferNotFound/NotPending/AlreadyPosted/AlreadyVoided/
//   Expired: T test_expire_errors, test_expire_releasesAndRecords)
//
// SovrCredit errors
//  IssuerAccountAlreadyOpen ........ C test_openIssuerAccount_onceAndWithLedgerRoles
//  IssuerAccountNotOpen ............ C test_issuerAccountNotOpen
//  IssuanceCeilingExceeded ......... C test_ceiling_exactlyAndBeyond, test_ceiling_loweringBlocksIssuesOnly,
//                                    testFuzz_issuanceNeverExceedsTheCeiling
//  ZeroAmount ...................... C test_issue_zeroAmount
//  NotAccountOwner ................. C test_redeem_needsOwnerAndOperatorApproval
//  NotSovrAccount .................. C test_creditLines_viaSovrCredit; L test_creditTotals_perLedger
//
// SovrToken errors
//  MintAndBurnNotSupported ......... K test_mintAndBurnNotSupported (see note 2)
//
// Notes
//  1. The LinkedEventFailed *error* cannot be produced: createTransfer/createTransferAs treat a lone LINKED
//     transfer as an open chain (LinkedEventChainOpen) and _createTransfer never returns LinkedEventFailed,
//     so only createTransfers reports the code (as a result), which the tests above check.
//  2. MintAndBurnNotSupported cannot be reached through SovrToken's public functions: OpenZeppelin's ERC20
//     rejects the zero address (ERC20InvalidSender/Receiver/Approver) before `_update`, and nothing calls
//     `_mint`/`_burn`. A test-only harness (SovrTokenHarness) exposes `_mint`/`_burn` to show the hook refuses.
// ============================================================================================================

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {ISovrCredit} from "../src/interfaces/ISovrCredit.sol";
import {ISovrLedger} from "../src/interfaces/ISovrLedger.sol";
import {LedgerFixture} from "./utils/LedgerFixture.sol";

contract SovrLedgerTest is LedgerFixture {
    uint128 internal constant A = 1; // alice
    uint128 internal constant B = 2; // bob
    uint128 internal constant C = 3; // carol
    uint128 internal constant U1 = 101; // unbounded, treasury
    uint128 internal constant U2 = 102;
    uint128 internal constant U3 = 103;
    uint128 internal constant E1 = 201; // alice, ledger 978
    /// @dev Storage slot of `_accountCount` (checked against the live count before it is used): after
    /// AccessControlDefaultAdminRules' slots and the six mappings of `LedgerStorage`.
    uint256 internal constant ACCOUNT_COUNT_SLOT = 9;

    address internal pauser = makeAddr("pauser");
    address internal freezer = makeAddr("freezer");

    function setUp() public override {
        super.setUp();
        _open(alice, A);
        _open(bob, B);
        _open(carol, C);
        _open(alice, E1, EUR, DEBITS_MUST_NOT_EXCEED_CREDITS);
        _fund(A, 1000);
        vm.startPrank(owner);
        ledger.grantRole(ledger.PAUSER_ROLE(), pauser);
        ledger.grantRole(ledger.FREEZER_ROLE(), freezer);
        vm.stopPrank();
    }

    // ================================================================ accounts

    function test_createAccount_storesFieldsAndEmits() public {
        vm.warp(block.timestamp + 77);
        vm.expectEmit(true, true, true, true, address(ledger));
        emit ISovrLedger.AccountCreated(42, bob, 7, 9, DEBITS_MUST_NOT_EXCEED_CREDITS | ACCOUNT_CLOSED);
        _openWithCode(bob, 42, 7, 9, DEBITS_MUST_NOT_EXCEED_CREDITS | ACCOUNT_CLOSED);
        ISovrLedger.Account memory a = ledger.getAccount(42);
        assertEq(a.id, 42);
        assertEq(a.owner, bob);
        assertEq(a.ledger, 7);
        assertEq(a.code, 9);
        assertEq(a.flags, DEBITS_MUST_NOT_EXCEED_CREDITS | ACCOUNT_CLOSED);
        assertEq(a.timestamp, block.timestamp);
        _assertBalances(42, 0, 0, 0, 0);
        assertEq(ledger.accountOwner(42), bob);
        assertEq(ledger.accountOwner(43), address(0));
    }

    function test_createAccount_revertsReservedFlag() public {
        uint16[4] memory bad = [uint16(1), ACCOUNT_FROZEN, ACCOUNT_HAS_CREDIT_LINE, uint16(1 << 8)];
        for (uint256 k; k < bad.length; ++k) {
            uint16 flags = bad[k] | DEBITS_MUST_NOT_EXCEED_CREDITS;
            vm.prank(alice);
            vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountReservedFlag.selector, flags));
            ledger.createAccount(50, USD, ACCOUNT_HOLDER, flags);
        }
        // Reserved flags take precedence over every other defect (id 0, ledger 0, code 0).
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountReservedFlag.selector, uint16(1 << 15)));
        ledger.createAccount(0, 0, 0, uint16(1 << 15));
        assertEq(ledger.accountOwner(50), address(0));
    }

    function test_createAccount_revertsIdZeroMaxReserved() public {
        vm.startPrank(alice);
        vm.expectRevert(ISovrLedger.AccountIdMustNotBeZero.selector);
        ledger.createAccount(0, USD, ACCOUNT_HOLDER, DEBITS_MUST_NOT_EXCEED_CREDITS | CREDITS_MUST_NOT_EXCEED_DEBITS);
        vm.expectRevert(ISovrLedger.AccountIdMustNotBeIntMax.selector);
        ledger.createAccount(AMOUNT_MAX, USD, ACCOUNT_HOLDER, DEBITS_MUST_NOT_EXCEED_CREDITS);
        uint128 reserved = RESERVED_ID_BIT | 5;
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountIdReserved.selector, reserved));
        ledger.createAccount(reserved, USD, ACCOUNT_HOLDER, DEBITS_MUST_NOT_EXCEED_CREDITS);
        // A primary account id cannot be taken by createAccount either.
        uint128 primary = ledger.primaryAccountId(alice);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountIdReserved.selector, primary));
        ledger.createAccount(primary, USD, ACCOUNT_HOLDER, DEBITS_MUST_NOT_EXCEED_CREDITS);
        vm.stopPrank();
        assertEq(ledger.accountOwner(primary), address(0));
    }

    function test_createAccount_revertsExistsBeforeOtherChecks() public {
        // Same id, other owner, other fields, even invalid ones: the id is taken.
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountExists.selector, A));
        ledger.createAccount(A, 0, 0, DEBITS_MUST_NOT_EXCEED_CREDITS | CREDITS_MUST_NOT_EXCEED_DEBITS);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountExists.selector, A));
        ledger.createAccount(A, USD, ACCOUNT_HOLDER, DEBITS_MUST_NOT_EXCEED_CREDITS);
        assertEq(ledger.accountOwner(A), alice);
    }

    function test_createAccount_revertsFlagsLedgerCode() public {
        vm.startPrank(treasury);
        vm.expectRevert(ISovrLedger.AccountFlagsAreMutuallyExclusive.selector);
        ledger.createAccount(60, 0, 0, DEBITS_MUST_NOT_EXCEED_CREDITS | CREDITS_MUST_NOT_EXCEED_DEBITS);
        vm.expectRevert(ISovrLedger.AccountLedgerMustNotBeZero.selector);
        ledger.createAccount(60, 0, 0, DEBITS_MUST_NOT_EXCEED_CREDITS);
        vm.expectRevert(ISovrLedger.AccountCodeMustNotBeZero.selector);
        ledger.createAccount(60, USD, 0, DEBITS_MUST_NOT_EXCEED_CREDITS);
        vm.stopPrank();
        assertEq(ledger.accountOwner(60), address(0));
    }

    function test_createAccount_unboundedNeedsTreasuryRole() public {
        vm.startPrank(alice);
        vm.expectRevert(ISovrLedger.UnboundedAccountNotAllowed.selector);
        ledger.createAccount(70, USD, ACCOUNT_HOLDER, 0);
        vm.expectRevert(ISovrLedger.UnboundedAccountNotAllowed.selector);
        ledger.createAccount(70, USD, ACCOUNT_HOLDER, CREDITS_MUST_NOT_EXCEED_DEBITS);
        vm.stopPrank();
        assertEq(ledger.accountOwner(70), address(0));

        _openUnbounded(70);
        assertEq(ledger.getAccount(70).flags, 0);
        assertEq(ledger.accountOwner(70), treasury);
        // An unbounded account can be debited below zero by its owner.
        _submit(treasury, _tx(1, 70, B, 5e12));
        _assertBalances(70, 0, 5e12, 0, 0);
    }

    function test_createAccount_revertsIndexExhausted() public {
        // setUp opened the issuer and four holder accounts.
        assertEq(uint256(vm.load(address(ledger), bytes32(ACCOUNT_COUNT_SLOT))), 5, "slot of _accountCount");
        uint256 max = ledger.MAX_ACCOUNTS();
        assertEq(max, type(uint24).max);
        vm.store(address(ledger), bytes32(ACCOUNT_COUNT_SLOT), bytes32(max - 1));
        _open(alice, 80); // takes the last index
        assertEq(ledger.getAccount(80).owner, alice);
        vm.prank(alice);
        vm.expectRevert(ISovrLedger.AccountIndexExhausted.selector);
        ledger.createAccount(81, USD, ACCOUNT_HOLDER, DEBITS_MUST_NOT_EXCEED_CREDITS);
        vm.expectRevert(ISovrLedger.AccountIndexExhausted.selector);
        ledger.openPrimaryAccount(carol);
        // The account at the last index still works on both sides.
        _fund(80, 10);
        vm.prank(alice);
        ledger.createTransfer(_tx(1, 80, A, 4));
        ISovrLedger.StoredTransfer memory s = ledger.getTransfer(1);
        assertEq(s.debitAccountId, 80);
        assertEq(s.creditAccountId, A);
    }

    function test_getAccount_revertsNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountNotFound.selector, uint128(999)));
        ledger.getAccount(999);
        assertEq(ledger.availableBalance(999), 0);
    }

    function test_primaryAccount_idOpenAndIdempotent() public {
        uint128 id = ledger.primaryAccountId(carol);
        assertEq(id, RESERVED_ID_BIT | uint128(uint160(carol)));
        assertEq(ledger.accountOwner(id), address(0));
        vm.expectEmit(true, true, true, true, address(ledger));
        emit ISovrLedger.AccountCreated(id, carol, USD, ACCOUNT_HOLDER, DEBITS_MUST_NOT_EXCEED_CREDITS);
        vm.prank(mallory); // anyone may open anyone's primary account; the holder owns it
        assertEq(ledger.openPrimaryAccount(carol), id);
        ISovrLedger.Account memory a = ledger.getAccount(id);
        assertEq(a.owner, carol);
        assertEq(a.ledger, USD);
        assertEq(a.code, ACCOUNT_HOLDER);
        assertEq(a.flags, DEBITS_MUST_NOT_EXCEED_CREDITS);
        uint256 count = uint256(vm.load(address(ledger), bytes32(ACCOUNT_COUNT_SLOT)));
        vm.recordLogs();
        assertEq(ledger.openPrimaryAccount(carol), id);
        assertEq(vm.getRecordedLogs().length, 0, "second open emits nothing");
        assertEq(uint256(vm.load(address(ledger), bytes32(ACCOUNT_COUNT_SLOT))), count, "no new slot");
    }

    function test_operator_setRevokeAndDebit() public {
        assertFalse(ledger.isOperator(alice, carol));
        vm.expectEmit(true, true, false, true, address(ledger));
        emit ISovrLedger.OperatorSet(alice, carol, true);
        vm.prank(alice);
        ledger.setOperator(carol, true);
        assertTrue(ledger.isOperator(alice, carol));
        assertFalse(ledger.isOperator(carol, alice));

        _submit(carol, _tx(1, A, B, 10));
        _assertBalances(A, 0, 10, 0, 1000);

        vm.prank(alice);
        ledger.setOperator(carol, false);
        assertFalse(ledger.isOperator(alice, carol));
        _expectRejected(
            carol, _tx(2, A, B, 10), ISovrLedger.TransferResult.NotAuthorized, ISovrLedger.NotAuthorized.selector
        );
    }

    function test_operator_revertsInvalid() public {
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.InvalidOperator.selector, address(0)));
        ledger.setOperator(address(0), true);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.InvalidOperator.selector, alice));
        ledger.setOperator(alice, true);
        vm.stopPrank();
        assertFalse(ledger.isOperator(alice, alice));
    }

    function test_notAuthorized_strangerCannotDebit() public {
        _expectRejected(
            mallory, _tx(1, A, B, 1), ISovrLedger.TransferResult.NotAuthorized, ISovrLedger.NotAuthorized.selector
        );
        // Not even the admin, the credit contract or the credit account's owner.
        _expectRejected(
            owner, _tx(1, A, B, 1), ISovrLedger.TransferResult.NotAuthorized, ISovrLedger.NotAuthorized.selector
        );
        _expectRejected(
            bob, _tx(1, A, B, 1), ISovrLedger.TransferResult.NotAuthorized, ISovrLedger.NotAuthorized.selector
        );
    }

    function test_freeze_rolesAndEffects() public {
        bytes32 freezerRole = ledger.FREEZER_ROLE();
        vm.prank(mallory);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, mallory, freezerRole)
        );
        ledger.freezeAccount(A);

        vm.expectEmit(true, true, false, true, address(ledger));
        emit ISovrLedger.AccountFrozen(A, freezer);
        vm.prank(freezer);
        ledger.freezeAccount(A);
        assertEq(ledger.getAccount(A).flags, DEBITS_MUST_NOT_EXCEED_CREDITS | ACCOUNT_FROZEN);

        vm.prank(freezer);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountFrozenStateUnchanged.selector, A));
        ledger.freezeAccount(A);

        _expectRejected(
            alice,
            _tx(1, A, B, 1),
            ISovrLedger.TransferResult.DebitAccountFrozen,
            ISovrLedger.DebitAccountFrozen.selector
        );
        _fund(B, 50);
        _expectRejected(
            bob,
            _tx(2, B, A, 1),
            ISovrLedger.TransferResult.CreditAccountFrozen,
            ISovrLedger.CreditAccountFrozen.selector
        );

        // Only the admin unfreezes; the freezer cannot.
        bytes32 adminRole = ledger.DEFAULT_ADMIN_ROLE();
        vm.prank(freezer);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, freezer, adminRole)
        );
        ledger.unfreezeAccount(A);

        vm.expectEmit(true, true, false, true, address(ledger));
        emit ISovrLedger.AccountUnfrozen(A, owner);
        vm.prank(owner);
        ledger.unfreezeAccount(A);
        assertEq(ledger.getAccount(A).flags, DEBITS_MUST_NOT_EXCEED_CREDITS);
        _submit(alice, _tx(1, A, B, 1));
        _assertBalances(B, 0, 0, 0, 51);

        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountFrozenStateUnchanged.selector, A));
        ledger.unfreezeAccount(A);
        vm.prank(freezer);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountNotFound.selector, uint128(999)));
        ledger.freezeAccount(999);
    }

    function test_pause_rolesAndEffects() public {
        bytes32 pauserRole = ledger.PAUSER_ROLE();
        vm.prank(mallory);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, mallory, pauserRole)
        );
        ledger.pause();

        vm.prank(pauser);
        ledger.pause();
        assertTrue(ledger.paused());
        vm.prank(pauser);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        ledger.pause();

        _expectRejected(
            alice, _tx(1, A, B, 1), ISovrLedger.TransferResult.LedgerPaused, ISovrLedger.LedgerPaused.selector
        );
        // Validation of the id comes first, the pause check after the exists lookup.
        _expectRejected(
            alice, _tx(0, A, B, 1), ISovrLedger.TransferResult.IdMustNotBeZero, ISovrLedger.IdMustNotBeZero.selector
        );
        // Accounts can still be created while paused.
        _open(bob, 90);

        bytes32 adminRole = ledger.DEFAULT_ADMIN_ROLE();
        vm.prank(pauser);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, pauser, adminRole)
        );
        ledger.unpause();

        vm.prank(owner);
        ledger.unpause();
        assertFalse(ledger.paused());
        vm.prank(owner);
        vm.expectRevert(Pausable.ExpectedPause.selector);
        ledger.unpause();
        _submit(alice, _tx(1, A, B, 1));
        _assertBalances(B, 0, 0, 0, 1);
    }

    // ================================================================ ordinary transfers

    function test_transfer_postsBalancesRecordAndEvent() public {
        bytes32 memo = keccak256("invoice 17");
        ISovrLedger.Transfer memory t = _tx(1, A, B, 250);
        t.userData = memo;
        t.code = 77;
        vm.expectEmit(true, true, true, true, address(ledger));
        emit ISovrLedger.TransferCreated(1, A, B, 250, 0, memo, _details(0, 77, USD, 0));
        _submit(alice, t);

        _assertBalances(A, 0, 250, 0, 1000);
        _assertBalances(B, 0, 0, 0, 250);
        assertEq(ledger.availableBalance(A), 750);
        assertEq(ledger.availableBalance(B), 250);

        ISovrLedger.StoredTransfer memory s = ledger.getTransfer(1);
        assertEq(s.id, 1);
        assertEq(s.debitAccountId, A);
        assertEq(s.creditAccountId, B);
        assertEq(s.amount, 250);
        assertEq(s.code, 77);
        assertEq(s.flags, 0);
        assertEq(s.timeout, 0);
        assertEq(uint256(s.status), uint256(ISovrLedger.PendingStatus.None));
        assertEq(s.userDataTag, uint64(uint256(keccak256(abi.encode(memo)))));
    }

    function test_transfer_zeroAmountIsApplied() public {
        _submit(bob, _tx(1, B, C, 0)); // B has nothing, moving nothing is fine
        assertTrue(_hasTransfer(1));
        _assertBalances(B, 0, 0, 0, 0);
        // ... and it is idempotent like any other.
        _expectRejected(bob, _tx(1, B, C, 0), ISovrLedger.TransferResult.Exists, ISovrLedger.Exists.selector);
    }

    function test_transfer_exceedsCreditsAtTheBoundary() public {
        _submit(alice, _tx(1, A, B, 1000)); // exactly the balance
        _expectRejected(
            alice, _tx(2, A, B, 1), ISovrLedger.TransferResult.ExceedsCredits, ISovrLedger.ExceedsCredits.selector
        );
        _assertBalances(A, 0, 1000, 0, 1000);
        assertEq(ledger.availableBalance(A), 0);
    }

    function test_transfer_pendingDebitsCountPendingCreditsDoNot() public {
        _submit(alice, _pendingTx(1, A, B, 600, 0));
        // Pending debits count against the limit ...
        _expectRejected(
            alice, _tx(2, A, C, 401), ISovrLedger.TransferResult.ExceedsCredits, ISovrLedger.ExceedsCredits.selector
        );
        _submit(alice, _tx(2, A, C, 400));
        // ... pending credits do not help the receiver.
        _expectRejected(
            bob, _tx(3, B, C, 1), ISovrLedger.TransferResult.ExceedsCredits, ISovrLedger.ExceedsCredits.selector
        );
    }

    function test_transfer_exceedsDebits() public {
        // An account whose credits must not exceed its debits (like the issuer).
        vm.prank(treasury);
        ledger.createAccount(U1, USD, ACCOUNT_TREASURY, CREDITS_MUST_NOT_EXCEED_DEBITS);
        _openUnbounded(U2);
        _submit(treasury, _tx(1, U1, U2, 300)); // U1 debits posted 300
        _submit(alice, _tx(2, A, U1, 300)); // credits up to the debits
        _expectRejected(
            alice, _tx(3, A, U1, 1), ISovrLedger.TransferResult.ExceedsDebits, ISovrLedger.ExceedsDebits.selector
        );
        // Pending credits count against it too.
        _submit(treasury, _tx(4, U1, U2, 50));
        _submit(alice, _pendingTx(5, A, U1, 50, 0));
        _expectRejected(
            alice, _tx(6, A, U1, 1), ISovrLedger.TransferResult.ExceedsDebits, ISovrLedger.ExceedsDebits.selector
        );
    }

    function test_reject_idChecks() public {
        ISovrLedger.Transfer memory t = _tx(1, A, B, 1);
        t.flags = uint16(1 << 8);
        _expectRejected(alice, t, ISovrLedger.TransferResult.ReservedFlag, ISovrLedger.ReservedFlag.selector);
        t.flags = uint16(1 << 15) | LINKED; // a lone transfer reports its open chain first
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.LinkedEventChainOpen.selector, t.id));
        ledger.createTransfer(t);
        t.flags = uint16(1 << 15);
        t.id = 0; // reserved flag wins over the id
        _expectRejected(alice, t, ISovrLedger.TransferResult.ReservedFlag, ISovrLedger.ReservedFlag.selector);

        _expectRejected(
            alice, _tx(0, A, B, 1), ISovrLedger.TransferResult.IdMustNotBeZero, ISovrLedger.IdMustNotBeZero.selector
        );
        _expectRejected(
            alice,
            _tx(AMOUNT_MAX, A, B, 1),
            ISovrLedger.TransferResult.IdMustNotBeIntMax,
            ISovrLedger.IdMustNotBeIntMax.selector
        );
        _expectRejected(
            alice,
            _tx(RESERVED_ID_BIT | 1, A, B, 1),
            ISovrLedger.TransferResult.IdReserved,
            ISovrLedger.IdReserved.selector
        );
    }

    function test_reject_accountIdChecks() public {
        _expectRejected(
            alice,
            _tx(1, 0, B, 1),
            ISovrLedger.TransferResult.DebitAccountIdMustNotBeZero,
            ISovrLedger.DebitAccountIdMustNotBeZero.selector
        );
        _expectRejected(
            alice,
            _tx(1, AMOUNT_MAX, B, 1),
            ISovrLedger.TransferResult.DebitAccountIdMustNotBeIntMax,
            ISovrLedger.DebitAccountIdMustNotBeIntMax.selector
        );
        _expectRejected(
            alice,
            _tx(1, A, 0, 1),
            ISovrLedger.TransferResult.CreditAccountIdMustNotBeZero,
            ISovrLedger.CreditAccountIdMustNotBeZero.selector
        );
        _expectRejected(
            alice,
            _tx(1, A, AMOUNT_MAX, 1),
            ISovrLedger.TransferResult.CreditAccountIdMustNotBeIntMax,
            ISovrLedger.CreditAccountIdMustNotBeIntMax.selector
        );
        _expectRejected(
            alice,
            _tx(1, A, A, 1),
            ISovrLedger.TransferResult.AccountsMustBeDifferent,
            ISovrLedger.AccountsMustBeDifferent.selector
        );
    }

    function test_reject_fieldChecks() public {
        ISovrLedger.Transfer memory t = _tx(1, A, B, 1);
        t.pendingId = 5;
        _expectRejected(
            alice, t, ISovrLedger.TransferResult.PendingIdMustBeZero, ISovrLedger.PendingIdMustBeZero.selector
        );
        t = _tx(1, A, B, 1);
        t.timeout = 60;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.TimeoutReservedForPendingTransfer,
            ISovrLedger.TimeoutReservedForPendingTransfer.selector
        );
        t = _tx(1, A, B, 1);
        t.ledger = 0;
        _expectRejected(
            alice, t, ISovrLedger.TransferResult.LedgerMustNotBeZero, ISovrLedger.LedgerMustNotBeZero.selector
        );
        t = _tx(1, A, B, 1);
        t.code = 0;
        _expectRejected(alice, t, ISovrLedger.TransferResult.CodeMustNotBeZero, ISovrLedger.CodeMustNotBeZero.selector);
    }

    function test_reject_accountLookups() public {
        _expectRejected(
            alice,
            _tx(1, 999, B, 1),
            ISovrLedger.TransferResult.DebitAccountNotFound,
            ISovrLedger.DebitAccountNotFound.selector
        );
        _expectRejected(
            alice,
            _tx(1, A, 999, 1),
            ISovrLedger.TransferResult.CreditAccountNotFound,
            ISovrLedger.CreditAccountNotFound.selector
        );
        _expectRejected(
            alice,
            _tx(1, A, E1, 1),
            ISovrLedger.TransferResult.AccountsMustHaveTheSameLedger,
            ISovrLedger.AccountsMustHaveTheSameLedger.selector
        );
        ISovrLedger.Transfer memory t = _tx(1, A, B, 1);
        t.ledger = EUR;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.TransferMustHaveTheSameLedgerAsAccounts,
            ISovrLedger.TransferMustHaveTheSameLedgerAsAccounts.selector
        );
    }

    function test_reject_closedAccounts() public {
        _open(bob, 30, USD, DEBITS_MUST_NOT_EXCEED_CREDITS | ACCOUNT_CLOSED); // created closed
        _expectRejected(
            alice,
            _tx(1, A, 30, 1),
            ISovrLedger.TransferResult.CreditAccountAlreadyClosed,
            ISovrLedger.CreditAccountAlreadyClosed.selector
        );
        _expectRejected(
            bob,
            _tx(1, 30, A, 0),
            ISovrLedger.TransferResult.DebitAccountAlreadyClosed,
            ISovrLedger.DebitAccountAlreadyClosed.selector
        );
        // Closed is reported before frozen.
        vm.prank(freezer);
        ledger.freezeAccount(30);
        _expectRejected(
            alice,
            _tx(1, A, 30, 1),
            ISovrLedger.TransferResult.CreditAccountAlreadyClosed,
            ISovrLedger.CreditAccountAlreadyClosed.selector
        );
    }

    function test_reject_precedence() public {
        // Authorization comes after the account lookups and ledger checks ...
        _expectRejected(
            mallory,
            _tx(1, A, E1, 1),
            ISovrLedger.TransferResult.AccountsMustHaveTheSameLedger,
            ISovrLedger.AccountsMustHaveTheSameLedger.selector
        );
        // ... and before closed, frozen and balance checks.
        vm.prank(freezer);
        ledger.freezeAccount(A);
        _expectRejected(
            mallory, _tx(1, A, B, 5000), ISovrLedger.TransferResult.NotAuthorized, ISovrLedger.NotAuthorized.selector
        );
        // Frozen is reported before the balance check.
        _expectRejected(
            alice,
            _tx(1, A, B, 5000),
            ISovrLedger.TransferResult.DebitAccountFrozen,
            ISovrLedger.DebitAccountFrozen.selector
        );
        // The debit account id is checked before the credit account id.
        _expectRejected(
            alice,
            _tx(1, 0, 0, 1),
            ISovrLedger.TransferResult.DebitAccountIdMustNotBeZero,
            ISovrLedger.DebitAccountIdMustNotBeZero.selector
        );
    }

    // ================================================================ overflows (96-bit balances)

    function _openUnboundedTrio() internal {
        _openUnbounded(U1);
        _openUnbounded(U2);
        _openUnbounded(U3);
    }

    function test_overflow_debitsAndCreditsPending() public {
        _openUnboundedTrio();
        uint128 tooMuch = MAX_BALANCE + 1;
        _expectRejected(
            treasury,
            _pendingTx(1, U1, U2, tooMuch, 0),
            ISovrLedger.TransferResult.OverflowsDebitsPending,
            ISovrLedger.OverflowsDebitsPending.selector
        );
        _submit(treasury, _pendingTx(1, U1, U2, MAX_BALANCE, 0)); // the largest balance fits
        _assertBalances(U2, 0, 0, MAX_BALANCE, 0);
        _expectRejected(
            treasury,
            _pendingTx(2, U3, U2, 1, 0),
            ISovrLedger.TransferResult.OverflowsCreditsPending,
            ISovrLedger.OverflowsCreditsPending.selector
        );
    }

    function test_overflow_debitsAndCreditsPosted() public {
        _openUnboundedTrio();
        _expectRejected(
            treasury,
            _tx(1, U1, U2, MAX_BALANCE + 1),
            ISovrLedger.TransferResult.OverflowsDebitsPosted,
            ISovrLedger.OverflowsDebitsPosted.selector
        );
        // An amount beyond 96 bits is reported, never truncated.
        _expectRejected(
            treasury,
            _tx(1, U1, U2, AMOUNT_MAX - 1),
            ISovrLedger.TransferResult.OverflowsDebitsPosted,
            ISovrLedger.OverflowsDebitsPosted.selector
        );
        _submit(treasury, _tx(1, U1, U2, MAX_BALANCE));
        _assertBalances(U1, 0, MAX_BALANCE, 0, 0);
        _expectRejected(
            treasury,
            _tx(2, U3, U2, 1),
            ISovrLedger.TransferResult.OverflowsCreditsPosted,
            ISovrLedger.OverflowsCreditsPosted.selector
        );
    }

    function test_overflow_debitsAndCreditsTotal() public {
        _openUnboundedTrio();
        _submit(treasury, _pendingTx(1, U1, U2, MAX_BALANCE, 0));
        // Posted sides are empty, but pending plus posted would not fit.
        _expectRejected(
            treasury,
            _tx(2, U1, U3, 1),
            ISovrLedger.TransferResult.OverflowsDebits,
            ISovrLedger.OverflowsDebits.selector
        );
        _expectRejected(
            treasury,
            _tx(2, U3, U2, 1),
            ISovrLedger.TransferResult.OverflowsCredits,
            ISovrLedger.OverflowsCredits.selector
        );
        // A pending transfer of more than 96 bits on the pending side reports the pending overflow first.
        _expectRejected(
            treasury,
            _pendingTx(2, U1, U3, 1, 0),
            ISovrLedger.TransferResult.OverflowsDebitsPending,
            ISovrLedger.OverflowsDebitsPending.selector
        );
    }

    // ================================================================ idempotency

    function _memoTx() internal pure returns (ISovrLedger.Transfer memory t) {
        t = _tx(7, A, B, 100);
        t.userData = keccak256("memo");
        t.code = 5;
    }

    function test_exists_identicalResendChangesNothing() public {
        _submit(alice, _memoTx());
        _assertBalances(A, 0, 100, 0, 1000);
        vm.recordLogs();
        _expectRejected(alice, _memoTx(), ISovrLedger.TransferResult.Exists, ISovrLedger.Exists.selector);
        // Anyone resending gets Exists: idempotency is checked before authority, pause, accounts.
        _expectRejected(mallory, _memoTx(), ISovrLedger.TransferResult.Exists, ISovrLedger.Exists.selector);
        vm.prank(pauser);
        ledger.pause();
        vm.prank(freezer);
        ledger.freezeAccount(A);
        _expectRejected(alice, _memoTx(), ISovrLedger.TransferResult.Exists, ISovrLedger.Exists.selector);
        _assertBalances(A, 0, 100, 0, 1000);
        _assertBalances(B, 0, 0, 0, 100);
    }

    function test_exists_eachDifferentField() public {
        _submit(alice, _memoTx());
        ISovrLedger.Transfer memory t;

        t = _memoTx();
        t.flags = LINKED;
        _expectRejectedInBatch(
            alice, _two(t, _tx(50, B, C, 0)), 0, ISovrLedger.TransferResult.ExistsWithDifferentFlags
        );
        t.flags = BALANCING_DEBIT;
        _expectRejected(
            alice, t, ISovrLedger.TransferResult.ExistsWithDifferentFlags, ISovrLedger.ExistsWithDifferentFlags.selector
        );
        t = _memoTx();
        t.pendingId = 3;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentPendingId,
            ISovrLedger.ExistsWithDifferentPendingId.selector
        );
        t = _memoTx();
        t.timeout = 1;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentTimeout,
            ISovrLedger.ExistsWithDifferentTimeout.selector
        );
        t = _memoTx();
        t.debitAccountId = C;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentDebitAccountId,
            ISovrLedger.ExistsWithDifferentDebitAccountId.selector
        );
        t = _memoTx();
        t.creditAccountId = C;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentCreditAccountId,
            ISovrLedger.ExistsWithDifferentCreditAccountId.selector
        );
        t = _memoTx();
        t.amount = 101;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentAmount,
            ISovrLedger.ExistsWithDifferentAmount.selector
        );
        t = _memoTx();
        t.userData = keccak256("other memo");
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentUserData,
            ISovrLedger.ExistsWithDifferentUserData.selector
        );
        t.userData = bytes32(0);
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentUserData,
            ISovrLedger.ExistsWithDifferentUserData.selector
        );
        t = _memoTx();
        t.ledger = EUR;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentLedger,
            ISovrLedger.ExistsWithDifferentLedger.selector
        );
        t = _memoTx();
        t.code = 6;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentCode,
            ISovrLedger.ExistsWithDifferentCode.selector
        );
        _assertBalances(A, 0, 100, 0, 1000);
    }

    function test_exists_precedenceFollowsFieldOrder() public {
        _submit(alice, _memoTx());
        ISovrLedger.Transfer memory t = _memoTx();
        t.code = 6;
        t.ledger = EUR;
        t.userData = 0;
        t.amount = 1;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentAmount,
            ISovrLedger.ExistsWithDifferentAmount.selector
        );
        t.creditAccountId = 0; // even invalid fields: the exists comparison runs first
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentCreditAccountId,
            ISovrLedger.ExistsWithDifferentCreditAccountId.selector
        );
        t.timeout = 9;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentTimeout,
            ISovrLedger.ExistsWithDifferentTimeout.selector
        );
        t.flags = PENDING;
        _expectRejected(
            alice, t, ISovrLedger.TransferResult.ExistsWithDifferentFlags, ISovrLedger.ExistsWithDifferentFlags.selector
        );
        // A reserved flag is checked before the exists lookup.
        t.flags = uint16(1 << 9);
        _expectRejected(alice, t, ISovrLedger.TransferResult.ReservedFlag, ISovrLedger.ReservedFlag.selector);
    }

    function test_exists_balancingComparesActualAmount() public {
        _fund(B, 3);
        _submit(bob, _txFlags(1, B, C, 10, BALANCING_DEBIT)); // actual amount 3
        assertEq(ledger.getTransfer(1).amount, 3);
        uint128[5] memory retries = [uint128(2), 0, 3, 4, AMOUNT_MAX];
        for (uint256 k; k < retries.length; ++k) {
            bool less = retries[k] < 3;
            _expectRejected(
                bob,
                _txFlags(1, B, C, retries[k], BALANCING_DEBIT),
                less ? ISovrLedger.TransferResult.ExistsWithDifferentAmount : ISovrLedger.TransferResult.Exists,
                less ? ISovrLedger.ExistsWithDifferentAmount.selector : ISovrLedger.Exists.selector
            );
        }
        _assertBalances(B, 0, 3, 0, 3);
    }

    // ================================================================ balancing

    function test_balancingDebit_capsAtAvailable() public {
        _submit(alice, _pendingTx(1, A, C, 100, 0)); // available 900
        vm.expectEmit(true, true, true, true, address(ledger));
        emit ISovrLedger.TransferCreated(2, A, B, 900, 0, bytes32(0), _details(BALANCING_DEBIT, PAYMENT, USD, 0));
        _submit(alice, _txFlags(2, A, B, 5000, BALANCING_DEBIT));
        assertEq(ledger.getTransfer(2).amount, 900);
        _assertBalances(A, 100, 900, 0, 1000);
        // Nothing left: a balancing transfer of zero is still applied.
        _submit(alice, _txFlags(3, A, B, AMOUNT_MAX, BALANCING_DEBIT));
        assertEq(ledger.getTransfer(3).amount, 0);
        // Requested less than available: the request.
        _fund(A, 50);
        _submit(alice, _txFlags(4, A, B, 20, BALANCING_DEBIT));
        assertEq(ledger.getTransfer(4).amount, 20);
    }

    function test_balancingDebit_onUnboundedAccountStillCaps() public {
        _openUnboundedTrio();
        _submit(treasury, _tx(1, U2, U1, 40)); // U1 credits 40
        _submit(treasury, _txFlags(2, U1, U3, 100, BALANCING_DEBIT));
        assertEq(ledger.getTransfer(2).amount, 40);
        _submit(treasury, _txFlags(3, U1, U3, 100, BALANCING_DEBIT));
        assertEq(ledger.getTransfer(3).amount, 0);
    }

    function test_balancingCredit_capsAtDebitsOfCreditAccount() public {
        vm.prank(treasury);
        ledger.createAccount(U1, USD, ACCOUNT_TREASURY, CREDITS_MUST_NOT_EXCEED_DEBITS);
        _openUnbounded(U2);
        _submit(treasury, _tx(1, U1, U2, 70)); // U1 debits posted 70
        _submit(alice, _pendingTx(2, A, U1, 20, 0)); // credits pending 20 count
        _submit(alice, _txFlags(3, A, U1, 500, BALANCING_CREDIT));
        assertEq(ledger.getTransfer(3).amount, 50);
        _assertBalances(U1, 0, 70, 20, 50);
        // Both flags: the smaller cap wins (A has 1000 - 20 - 50 = 930 available; U1 has 0 room).
        _submit(alice, _txFlags(4, A, U1, 500, BALANCING_DEBIT | BALANCING_CREDIT));
        assertEq(ledger.getTransfer(4).amount, 0);
        _submit(treasury, _tx(5, U1, U2, 1000));
        _submit(alice, _txFlags(6, A, U1, 5000, BALANCING_DEBIT | BALANCING_CREDIT));
        assertEq(ledger.getTransfer(6).amount, 930);
    }

    function test_balancingCredit_debitLimitStillApplies() public {
        // TigerBeetle: balancing on the credit side does not lift the debit account's own limit.
        vm.prank(treasury);
        ledger.createAccount(U1, USD, ACCOUNT_TREASURY, CREDITS_MUST_NOT_EXCEED_DEBITS);
        _openUnbounded(U2);
        _submit(treasury, _tx(1, U1, U2, 5));
        _fund(B, 4);
        _expectRejected(
            bob,
            _txFlags(2, B, U1, 10, BALANCING_CREDIT),
            ISovrLedger.TransferResult.ExceedsCredits,
            ISovrLedger.ExceedsCredits.selector
        );
    }

    function test_balancingPending_capsAndCountsPending() public {
        _fund(B, 10);
        _submit(bob, _txFlags(1, B, C, 3, PENDING | BALANCING_DEBIT));
        _submit(bob, _txFlags(2, B, C, 13, PENDING | BALANCING_DEBIT));
        _submit(bob, _txFlags(3, B, C, 1, PENDING | BALANCING_DEBIT));
        assertEq(ledger.getTransfer(1).amount, 3);
        assertEq(ledger.getTransfer(2).amount, 7);
        assertEq(ledger.getTransfer(3).amount, 0);
        _assertBalances(B, 10, 0, 0, 10);
    }

    function test_balancingDebit_includesUsableCreditLine() public {
        _fund(B, 10);
        _grantLine(B, 25, 0);
        _submit(bob, _txFlags(1, B, C, 100, BALANCING_DEBIT));
        assertEq(ledger.getTransfer(1).amount, 35);
        (, uint128 used) = ledger.creditTotals(USD);
        assertEq(used, 25);
        // A frozen line is not usable.
        _fund(B, 5);
        vm.prank(owner);
        credit.setCreditLineFrozen(B, true);
        _submit(bob, _txFlags(2, B, C, 100, BALANCING_DEBIT));
        assertEq(ledger.getTransfer(2).amount, 0);
    }

    // ================================================================ credit lines

    function test_creditLine_grantSpendAndLimit() public {
        vm.expectEmit(true, false, false, true, address(ledger));
        emit ISovrLedger.CreditLineSet(B, 500, 0);
        _grantLine(B, 500, 0);
        ISovrLedger.CreditLine memory line = ledger.creditLineOf(B);
        assertEq(line.limit, 500);
        assertEq(line.expiresAt, 0);
        assertFalse(line.frozen);
        assertEq(ledger.getAccount(B).flags, DEBITS_MUST_NOT_EXCEED_CREDITS | ACCOUNT_HAS_CREDIT_LINE);
        assertEq(ledger.availableBalance(B), 500);

        _submit(bob, _tx(1, B, C, 300));
        _submit(bob, _pendingTx(2, B, C, 200, 0));
        _expectRejected(
            bob, _tx(3, B, C, 1), ISovrLedger.TransferResult.ExceedsCredits, ISovrLedger.ExceedsCredits.selector
        );
        (uint128 extended, uint128 used) = ledger.creditTotals(USD);
        assertEq(extended, 500);
        assertEq(used, 500);

        // Repaying frees the line again; credit in use never goes below zero.
        _fund(B, 800);
        (, used) = ledger.creditTotals(USD);
        assertEq(used, 0);
        assertEq(ledger.availableBalance(B), 800);
    }

    function test_creditLine_usedFollowsPostVoidAndExpiry() public {
        _grantLine(B, 1000, 0);
        _submit(bob, _pendingTx(1, B, C, 400, 10));
        _submit(bob, _pendingTx(2, B, C, 300, 0));
        _submit(bob, _pendingTx(3, B, C, 200, 0));
        (, uint128 used) = ledger.creditTotals(USD);
        assertEq(used, 900);
        _submit(bob, _postTx(4, 2, 100)); // partial post: 200 of the 300 is released
        (, used) = ledger.creditTotals(USD);
        assertEq(used, 700);
        _submit(bob, _voidTx(5, 3));
        (, used) = ledger.creditTotals(USD);
        assertEq(used, 500);
        vm.warp(block.timestamp + 10);
        ledger.expirePendingTransfer(1);
        (, used) = ledger.creditTotals(USD);
        assertEq(used, 100);
        _assertBalances(B, 0, 100, 0, 0);
        // A line on the credit side is repaid by incoming posted credits only.
        _submit(alice, _pendingTx(6, A, B, 60, 0));
        (, used) = ledger.creditTotals(USD);
        assertEq(used, 100);
        _submit(alice, _postTx(7, 6, AMOUNT_MAX));
        (, used) = ledger.creditTotals(USD);
        assertEq(used, 40);
    }

    function test_creditLine_expiry() public {
        uint64 expiresAt = uint64(block.timestamp + 100);
        _grantLine(B, 500, expiresAt);
        assertEq(ledger.creditLineOf(B).expiresAt, expiresAt);
        _submit(bob, _tx(1, B, C, 100));
        vm.warp(expiresAt - 1);
        _submit(bob, _tx(2, B, C, 100));
        vm.warp(expiresAt); // expired at its expiry time
        assertEq(ledger.availableBalance(B), 0);
        _expectRejected(
            bob, _tx(3, B, C, 1), ISovrLedger.TransferResult.CreditLineExpired, ISovrLedger.CreditLineExpired.selector
        );
        // Debits within the account's own credits do not need the line.
        _fund(B, 250);
        _submit(bob, _tx(3, B, C, 50));
        _expectRejected(
            bob, _tx(4, B, C, 1), ISovrLedger.TransferResult.CreditLineExpired, ISovrLedger.CreditLineExpired.selector
        );
        // Extending the line makes it usable again.
        _grantLine(B, 500, 0);
        _submit(bob, _tx(4, B, C, 300));
        (, uint128 used) = ledger.creditTotals(USD);
        assertEq(used, 300); // debits 550, credits 250
    }

    function test_creditLine_freeze() public {
        _grantLine(B, 500, 0);
        vm.expectEmit(true, false, false, true, address(ledger));
        emit ISovrLedger.CreditLineFrozenSet(B, true);
        vm.prank(owner);
        credit.setCreditLineFrozen(B, true);
        assertTrue(ledger.creditLineOf(B).frozen);
        _expectRejected(
            bob, _tx(1, B, C, 1), ISovrLedger.TransferResult.CreditLineFrozen, ISovrLedger.CreditLineFrozen.selector
        );
        // Expired is reported before frozen.
        vm.prank(owner);
        credit.setCreditLine(B, 500, uint64(block.timestamp + 1));
        vm.warp(block.timestamp + 1);
        _expectRejected(
            bob, _tx(1, B, C, 1), ISovrLedger.TransferResult.CreditLineExpired, ISovrLedger.CreditLineExpired.selector
        );
        _grantLine(B, 500, 0);
        vm.prank(owner);
        credit.setCreditLineFrozen(B, false);
        _submit(bob, _tx(1, B, C, 500));
        _assertBalances(B, 0, 500, 0, 0);
    }

    function test_creditLine_loweringBelowUseBlocksButNeverClawsBack() public {
        _grantLine(B, 500, 0);
        _submit(bob, _tx(1, B, C, 400));
        _grantLine(B, 100, 0);
        (uint128 extended, uint128 used) = ledger.creditTotals(USD);
        assertEq(extended, 100);
        assertEq(used, 400); // nothing clawed back
        _assertBalances(B, 0, 400, 0, 0);
        _assertBalances(C, 0, 0, 0, 400);
        _expectRejected(
            bob, _tx(2, B, C, 1), ISovrLedger.TransferResult.ExceedsCredits, ISovrLedger.ExceedsCredits.selector
        );
        // Repaying down to the new limit makes room only beyond it.
        _fund(B, 300);
        _expectRejected(
            bob, _tx(2, B, C, 1), ISovrLedger.TransferResult.ExceedsCredits, ISovrLedger.ExceedsCredits.selector
        );
        _fund(B, 1);
        _submit(bob, _tx(2, B, C, 1));
        // Removing the line (limit 0) keeps the account tracked but allows no overdraft.
        _grantLine(B, 0, 0);
        (extended, used) = ledger.creditTotals(USD);
        assertEq(extended, 0);
        assertEq(used, 100);
        assertEq(ledger.getAccount(B).flags & ACCOUNT_HAS_CREDIT_LINE, ACCOUNT_HAS_CREDIT_LINE);
        _expectRejected(
            bob, _tx(3, B, C, 1), ISovrLedger.TransferResult.ExceedsCredits, ISovrLedger.ExceedsCredits.selector
        );
    }

    /// @dev Regression (SovrLedger fix): a debit of nothing from an account that is above its usable line
    /// (lowered, frozen or expired) used to fail with ExceedsCredits / CreditLineFrozen / CreditLineExpired,
    /// so a balancing debit capped to 0, or a zero-amount closing transfer, could not be applied.
    function test_regression_zeroDebitAboveUsableLine() public {
        _grantLine(B, 500, uint64(block.timestamp + 1000));
        _submit(bob, _tx(1, B, C, 400));
        // Lowered below use.
        _grantLine(B, 100, uint64(block.timestamp + 1000));
        _submit(bob, _txFlags(2, B, C, AMOUNT_MAX, BALANCING_DEBIT));
        assertEq(ledger.getTransfer(2).amount, 0);
        _submit(bob, _tx(3, B, C, 0));
        _expectRejected(
            bob, _tx(4, B, C, 1), ISovrLedger.TransferResult.ExceedsCredits, ISovrLedger.ExceedsCredits.selector
        );
        // Frozen.
        vm.prank(owner);
        credit.setCreditLineFrozen(B, true);
        _submit(bob, _txFlags(4, B, C, 50, BALANCING_DEBIT));
        assertEq(ledger.getTransfer(4).amount, 0);
        _expectRejected(
            bob, _tx(5, B, C, 1), ISovrLedger.TransferResult.CreditLineFrozen, ISovrLedger.CreditLineFrozen.selector
        );
        vm.prank(owner);
        credit.setCreditLineFrozen(B, false);
        // Expired: the account can still be closed with a zero-amount closing transfer.
        vm.warp(block.timestamp + 1000);
        _expectRejected(
            bob, _tx(5, B, C, 1), ISovrLedger.TransferResult.CreditLineExpired, ISovrLedger.CreditLineExpired.selector
        );
        _submit(bob, _txFlags(5, B, C, 0, PENDING | CLOSING_DEBIT));
        assertEq(ledger.getAccount(B).flags & ACCOUNT_CLOSED, ACCOUNT_CLOSED);
        _assertBalances(B, 0, 400, 0, 0);
        (, uint128 used) = ledger.creditTotals(USD);
        assertEq(used, 400);
    }

    function test_creditLine_errors() public {
        _openUnbounded(U1);
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.CreditLineRequiresDebitLimit.selector, U1));
        credit.setCreditLine(U1, 10, 0);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.CreditLineLimitTooLarge.selector, MAX_BALANCE + 1));
        credit.setCreditLine(B, MAX_BALANCE + 1, 0);
        uint64 now_ = uint64(block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.CreditLineExpiryInPast.selector, now_));
        credit.setCreditLine(B, 10, now_);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.CreditLineNotFound.selector, B));
        credit.setCreditLineFrozen(B, true);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountNotFound.selector, uint128(999)));
        credit.setCreditLine(999, 10, 0);
        vm.stopPrank();
        // The largest limit is accepted.
        _grantLine(B, MAX_BALANCE, 0);
        assertEq(ledger.creditLineOf(B).limit, MAX_BALANCE);

        bytes32 creditRole = ledger.CREDIT_ROLE();
        vm.startPrank(mallory);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, mallory, creditRole)
        );
        ledger.setCreditLine(B, 1, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, mallory, creditRole)
        );
        ledger.setCreditLineFrozen(B, true);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, mallory, creditRole)
        );
        ledger.setSupplyAccount(B);
        vm.stopPrank();
    }

    function test_creditTotals_perLedger() public {
        address desk = makeAddr("desk");
        vm.startPrank(owner);
        ledger.grantRole(ledger.CREDIT_ROLE(), desk);
        vm.stopPrank();
        _open(bob, 202, EUR, DEBITS_MUST_NOT_EXCEED_CREDITS);
        vm.startPrank(desk);
        ledger.setCreditLine(E1, 70, 0);
        ledger.setCreditLine(202, 30, 0);
        ledger.setCreditLine(B, 5, 0);
        vm.stopPrank();
        ISovrLedger.Transfer memory t = _tx(1, E1, 202, 60);
        t.ledger = EUR;
        _submit(alice, t);
        (uint128 extended, uint128 used) = ledger.creditTotals(EUR);
        assertEq(extended, 100);
        assertEq(used, 60);
        (extended, used) = ledger.creditTotals(USD);
        assertEq(extended, 5);
        assertEq(used, 0);
        // SovrCredit refuses accounts that are not on ledger 840.
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(ISovrCredit.NotSovrAccount.selector, E1));
        credit.setCreditLine(E1, 1, 0);
    }

    function test_supplyAccount_setAndChecked() public {
        assertEq(ledger.supplyAccountId(), ISSUER_ID);
        assertEq(ledger.tokenSupply(), 1000);
        address desk = makeAddr("desk");
        vm.startPrank(owner);
        ledger.grantRole(ledger.CREDIT_ROLE(), desk);
        vm.stopPrank();
        vm.startPrank(desk);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountNotFound.selector, E1));
        ledger.setSupplyAccount(E1); // exists, but not on ledger 840
        vm.expectEmit(true, false, false, true, address(ledger));
        emit ISovrLedger.SupplyAccountSet(A);
        ledger.setSupplyAccount(A);
        vm.stopPrank();
        assertEq(ledger.supplyAccountId(), A);
        assertEq(ledger.tokenSupply(), 0); // A has credits, no net debit
    }

    // ================================================================ events and access

    function test_event_detailsPacking() public {
        ISovrLedger.Transfer memory t = _pendingTx(1, A, B, 9, type(uint32).max - 1_000);
        t.code = type(uint16).max;
        t.flags = PENDING | CLOSING_DEBIT;
        t.userData = bytes32(type(uint256).max);
        uint96 details = _details(PENDING | CLOSING_DEBIT, type(uint16).max, USD, type(uint32).max - 1_000);
        assertEq(details & 0xFFFF, PENDING | CLOSING_DEBIT);
        assertEq((details >> 16) & 0xFFFF, type(uint16).max);
        assertEq((details >> 32) & 0xFFFFFFFF, USD);
        assertEq(details >> 64, type(uint32).max - 1_000);
        vm.expectEmit(true, true, true, true, address(ledger));
        emit ISovrLedger.TransferCreated(1, A, B, 9, 0, bytes32(type(uint256).max), details);
        _submit(alice, t);
    }

    function test_onlyHooks_refuseOthers() public {
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.OnlyToken.selector, address(this)));
        ledger.settleTokenTransfer(alice, bob, 1);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.OnlyRelay.selector, address(this)));
        ledger.createTransferAs(alice, _tx(1, A, B, 1));
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.OnlySelf.selector, alice));
        vm.prank(alice);
        ledger.executeLinkedChain(alice, _one(_tx(1, A, B, 1)), false);
        assertFalse(_hasTransfer(1));
        _assertBalances(A, 0, 0, 0, 1000);
    }

    // ================================================================ fuzz

    /// @dev Ordinary transfers (some failing) among bounded, unbounded and issuer accounts keep
    /// the sum of debits posted equal to the sum of credits posted, and pending sums equal.
    function testFuzz_ordinaryTransfersPreserveDoubleEntry(uint256[8] calldata ops) public {
        _openUnbounded(U1);
        _fund(B, 300);
        uint128[5] memory ids = [A, B, C, U1, ISSUER_ID];
        ISovrLedger.Transfer[] memory batch = new ISovrLedger.Transfer[](ops.length);
        for (uint256 k; k < ops.length; ++k) {
            uint256 op = ops[k];
            uint128 dr = ids[op % 3]; // holders only: the batch is alice's, so only A applies
            uint128 cr = ids[(op >> 8) % 5];
            uint128 amount = uint128(bound(op >> 16, 0, 700));
            uint16 flags = (op >> 32) % 4 == 0 ? PENDING : 0;
            batch[k] = _txFlags(uint128(k + 1), dr, cr, amount, flags);
        }
        ISovrLedger.TransferResult[] memory results = _batch(alice, batch);
        uint128[] memory all = new uint128[](5);
        for (uint256 k; k < 5; ++k) {
            all[k] = ids[k];
        }
        (uint256 dPosted, uint256 cPosted, uint256 dPending, uint256 cPending) = _sums(all);
        assertEq(dPosted, cPosted, "posted sums");
        assertEq(dPending, cPending, "pending sums");
        uint256 applied;
        for (uint256 k; k < results.length; ++k) {
            if (results[k] == ISovrLedger.TransferResult.Ok) {
                ++applied;
                assertEq(batch[k].debitAccountId, A, "only alice's account is debited");
                assertTrue(_hasTransfer(batch[k].id));
            } else {
                assertFalse(_hasTransfer(batch[k].id));
            }
        }
        // Alice's account never goes below zero, and what left it arrived somewhere.
        ISovrLedger.Account memory a = ledger.getAccount(A);
        assertLe(uint256(a.debitsPosted) + a.debitsPending, a.creditsPosted);
        assertEq(dPosted, 1300 + a.debitsPosted, "issued 1300 plus alice's posted debits");
        assertLe(applied, ops.length);
    }

    /// @dev A balancing debit moves min(requested, credits posted + usable line - debits).
    function testFuzz_balancingAmountIsMinOfRequestedAndAvailable(
        uint128 funded,
        uint128 reserved,
        uint128 limit,
        uint128 requested,
        bool balancingCredit
    ) public {
        funded = uint128(bound(funded, 0, 1e12));
        reserved = uint128(bound(reserved, 0, funded));
        limit = uint128(bound(limit, 0, 1e12));
        if (funded != 0) _fund(B, funded);
        if (reserved != 0) _submit(bob, _pendingTx(1, B, C, reserved, 0));
        if (limit != 0) _grantLine(B, limit, 0);
        uint256 available = uint256(funded) + limit - reserved;
        uint256 expected = requested < available ? requested : available;

        uint16 flags = BALANCING_DEBIT;
        uint128 crId = C;
        if (balancingCredit) {
            // Also cap by an issuer-like account's room for credits (its debits posted 5e11).
            vm.prank(treasury);
            ledger.createAccount(U1, USD, ACCOUNT_TREASURY, CREDITS_MUST_NOT_EXCEED_DEBITS);
            _openUnbounded(U2);
            _submit(treasury, _tx(2, U1, U2, 5e11));
            flags |= BALANCING_CREDIT;
            crId = U1;
            if (expected > 5e11) expected = 5e11;
        }
        _submit(bob, _txFlags(3, B, crId, requested, flags));
        assertEq(ledger.getTransfer(3).amount, expected);
        ISovrLedger.Account memory b = ledger.getAccount(B);
        assertEq(b.debitsPosted, expected);
        assertLe(uint256(b.debitsPosted) + b.debitsPending, uint256(b.creditsPosted) + limit);
        assertEq(ledger.availableBalance(B), available - expected);
    }

    /// @dev Re-sending any applied transfer returns Exists and changes nothing, whatever happened since.
    function testFuzz_idempotentResendReturnsExists(
        uint8 kind,
        uint128 amount,
        uint128 postAmount,
        bytes32 userData,
        uint8 perturbation
    ) public {
        amount = uint128(bound(amount, 0, 1000));
        ISovrLedger.Transfer memory t;
        kind = kind % 7;
        if (kind == 0) {
            t = _tx(10, A, B, amount);
        } else if (kind == 1) {
            t = _pendingTx(10, A, B, amount, 3600);
        } else if (kind == 2 || kind == 3) {
            _submit(alice, _pendingTx(9, A, B, amount, 3600));
            if (kind == 2) {
                postAmount = postAmount % 3 == 0 ? AMOUNT_MAX : uint128(bound(postAmount, 0, amount));
                t = _postTx(10, 9, postAmount);
            } else {
                t = _voidTx(10, 9);
                t.amount = postAmount % 2 == 0 ? 0 : amount;
            }
            if (userData & bytes32(uint256(1)) != 0) {
                t.debitAccountId = A; // naming the pending transfer's fields is allowed
                t.creditAccountId = B;
                t.ledger = USD;
                t.code = PAYMENT;
            }
        } else if (kind == 4) {
            t = _txFlags(10, A, B, uint128(bound(postAmount, 0, 3000)), BALANCING_DEBIT);
        } else if (kind == 5) {
            t = _txFlags(10, A, B, amount, PENDING | CLOSING_DEBIT);
        } else {
            t = _txFlags(10, A, B, uint128(bound(postAmount, 0, 3000)), PENDING | BALANCING_DEBIT);
        }
        t.userData = userData;
        _submit(alice, t);

        perturbation = perturbation % 6;
        if (perturbation == 1) {
            vm.prank(pauser);
            ledger.pause();
        } else if (perturbation == 2) {
            vm.prank(freezer);
            ledger.freezeAccount(A);
        } else if (perturbation == 3) {
            _submit(bob, _txFlags(11, B, C, AMOUNT_MAX, BALANCING_DEBIT));
        } else if (perturbation == 4) {
            vm.warp(block.timestamp + 7200);
        } else if (perturbation == 5) {
            _fund(kind == 5 ? C : A, 5); // a closed account accepts nothing
        }

        uint128[4] memory touched = [A, B, C, ISSUER_ID];
        bytes32[4] memory before;
        for (uint256 k; k < 4; ++k) {
            before[k] = _accountHash(touched[k]);
        }
        bytes32 record = _transferHash(10);
        (uint128 extended, uint128 used) = ledger.creditTotals(USD);

        _expectRejected(alice, t, ISovrLedger.TransferResult.Exists, ISovrLedger.Exists.selector);
        _expectRejected(mallory, t, ISovrLedger.TransferResult.Exists, ISovrLedger.Exists.selector);

        for (uint256 k; k < 4; ++k) {
            assertEq(_accountHash(touched[k]), before[k], "account changed");
        }
        assertEq(_transferHash(10), record, "record changed");
        (uint128 extended2, uint128 used2) = ledger.creditTotals(USD);
        assertEq(extended2, extended);
        assertEq(used2, used);
    }

    /// @dev Debits (ordinary, pending, balancing, posts) never take an account past its credits plus
    /// its credit line at the time of the debit, and creditTotals().used is exactly the overdraft.
    function testFuzz_creditLineLimitNeverExceeded(uint128 limit, uint128 credits, uint256[6] calldata ops) public {
        limit = uint128(bound(limit, 1, 1e9));
        credits = uint128(bound(credits, 0, 1e9));
        if (credits != 0) _fund(B, credits);
        _grantLine(B, limit, 0);
        uint128 pendingId;
        for (uint256 k; k < ops.length; ++k) {
            uint256 op = ops[k];
            uint128 amount = uint128(bound(op >> 8, 0, 2e9));
            uint128 id = uint128(100 + k);
            uint256 kind = op % 6;
            ISovrLedger.TransferResult[] memory r;
            uint256 debitsBefore = uint256(_acct(B).debitsPosted) + _acct(B).debitsPending;
            if (kind == 0) {
                r = _batch(bob, _one(_tx(id, B, C, amount)));
            } else if (kind == 1) {
                r = _batch(bob, _one(_pendingTx(id, B, C, amount, 0)));
                if (r[0] == ISovrLedger.TransferResult.Ok) pendingId = id;
            } else if (kind == 2) {
                r = _batch(bob, _one(_txFlags(id, B, C, AMOUNT_MAX, BALANCING_DEBIT)));
            } else if (kind == 3 && pendingId != 0) {
                r = _batch(bob, _one(_postTx(id, pendingId, amount)));
                pendingId = 0;
            } else if (kind == 4) {
                limit = uint128(bound(op >> 8, 0, 1e9)); // raise or lower the line
                _grantLine(B, limit, 0);
            } else {
                _fund(B, uint128(bound(op >> 8, 1, 1e9))); // repay
            }
            ISovrLedger.Account memory b = ledger.getAccount(B);
            uint256 debits = uint256(b.debitsPosted) + b.debitsPending;
            if (r.length != 0 && r[0] == ISovrLedger.TransferResult.Ok) {
                // Whatever adds to the debits stays within credits plus the line at that time. Posts never add
                // (they may follow a lowered line), and a debit of nothing is fine above a lowered line.
                if (debits > debitsBefore) {
                    assertTrue(kind != 3, "a post added debits");
                    assertLe(debits, uint256(b.creditsPosted) + limit, "limit exceeded");
                }
            } else if (r.length != 0 && kind != 3) {
                assertEq(uint256(r[0]), uint256(ISovrLedger.TransferResult.ExceedsCredits));
            }
            (uint128 extended, uint128 used) = ledger.creditTotals(USD);
            assertEq(extended, limit, "extended");
            assertEq(used, debits > b.creditsPosted ? debits - b.creditsPosted : 0, "used");
            uint256 room = uint256(b.creditsPosted) + limit;
            assertEq(ledger.availableBalance(B), debits < room ? room - debits : 0, "available");
        }
    }

    // ================================================================ helpers

    function _openWithCode(address who, uint128 id, uint32 ledgerNo, uint16 code, uint16 flags) internal {
        vm.prank(who);
        ledger.createAccount(id, ledgerNo, code, flags);
    }

    function _expectRejectedInBatch(
        address caller,
        ISovrLedger.Transfer[] memory ts,
        uint256 index,
        ISovrLedger.TransferResult expected
    ) internal {
        ISovrLedger.TransferResult[] memory results = _batch(caller, ts);
        assertEq(uint256(results[index]), uint256(expected));
    }
}
