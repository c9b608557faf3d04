// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Raw calldata with dirty narrow fields can only be sent with a low-level call.
// solhint-disable avoid-low-level-calls

// solhint-disable-next-line import-path-check
import {Vm} from "forge-std/Vm.sol";

import {ISovrLedger} from "../src/interfaces/ISovrLedger.sol";
import {LedgerFixture} from "./utils/LedgerFixture.sol";

/// @notice createTransfers: per-member results, LINKED chains, rejection events, batch-level reverts.
contract SovrLedgerBatchTest is LedgerFixture {
    uint128 internal constant A = 1; // alice
    uint128 internal constant B = 2; // bob
    uint128 internal constant C = 3; // carol

    ISovrLedger.TransferResult internal constant OK = ISovrLedger.TransferResult.Ok;
    ISovrLedger.TransferResult internal constant LEF = ISovrLedger.TransferResult.LinkedEventFailed;
    ISovrLedger.TransferResult internal constant OPEN = ISovrLedger.TransferResult.LinkedEventChainOpen;

    struct Rejection {
        uint128 id;
        uint256 index;
        ISovrLedger.TransferResult result;
    }

    function setUp() public override {
        super.setUp();
        _open(alice, A);
        _open(bob, B);
        _open(carol, C);
        _fund(A, 1000);
    }

    function _linked(ISovrLedger.Transfer memory t) internal pure returns (ISovrLedger.Transfer memory) {
        t.flags |= LINKED;
        return t;
    }

    function _assertResults(ISovrLedger.TransferResult[] memory got, ISovrLedger.TransferResult[] memory want)
        internal
        pure
    {
        assertEq(got.length, want.length, "result count");
        for (uint256 k; k < want.length; ++k) {
            assertEq(uint256(got[k]), uint256(want[k]), string.concat("result ", vm.toString(k)));
        }
    }

    function _r(ISovrLedger.TransferResult a) internal pure returns (ISovrLedger.TransferResult[] memory r) {
        r = new ISovrLedger.TransferResult[](1);
        r[0] = a;
    }

    function _r(ISovrLedger.TransferResult a, ISovrLedger.TransferResult b)
        internal
        pure
        returns (ISovrLedger.TransferResult[] memory r)
    {
        r = new ISovrLedger.TransferResult[](2);
        (r[0], r[1]) = (a, b);
    }

    function _r(ISovrLedger.TransferResult a, ISovrLedger.TransferResult b, ISovrLedger.TransferResult c)
        internal
        pure
        returns (ISovrLedger.TransferResult[] memory r)
    {
        r = new ISovrLedger.TransferResult[](3);
        (r[0], r[1], r[2]) = (a, b, c);
    }

    function _r(
        ISovrLedger.TransferResult a,
        ISovrLedger.TransferResult b,
        ISovrLedger.TransferResult c,
        ISovrLedger.TransferResult d
    ) internal pure returns (ISovrLedger.TransferResult[] memory r) {
        r = new ISovrLedger.TransferResult[](4);
        (r[0], r[1], r[2], r[3]) = (a, b, c, d);
    }

    function _four(
        ISovrLedger.Transfer memory a,
        ISovrLedger.Transfer memory b,
        ISovrLedger.Transfer memory c,
        ISovrLedger.Transfer memory d
    ) internal pure returns (ISovrLedger.Transfer[] memory ts) {
        ts = new ISovrLedger.Transfer[](4);
        (ts[0], ts[1], ts[2], ts[3]) = (a, b, c, d);
    }

    /// @dev Runs a batch while recording logs; returns the results, the rejections and how many members applied.
    /// Every Ok member must have its TransferCreated event. (The test VM's recorder also lists logs emitted inside
    /// a rolled-back chain's reverted sub-call, which a real receipt never contains, so `created` counts only
    /// TransferCreated logs of transfers that exist afterwards.)
    function _run(address caller, ISovrLedger.Transfer[] memory ts)
        internal
        returns (ISovrLedger.TransferResult[] memory results, Rejection[] memory rejected, uint256 created)
    {
        vm.recordLogs();
        results = _batch(caller, ts);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 n;
        for (uint256 k; k < logs.length; ++k) {
            if (logs[k].topics[0] == ISovrLedger.TransferRejected.selector) ++n;
            if (logs[k].topics[0] == ISovrLedger.TransferCreated.selector) {
                if (_hasTransfer(uint128(uint256(logs[k].topics[1])))) ++created;
            }
        }
        for (uint256 k; k < results.length; ++k) {
            if (results[k] != OK) continue;
            bool found;
            for (uint256 j; j < logs.length && !found; ++j) {
                found = logs[j].topics[0] == ISovrLedger.TransferCreated.selector
                    && uint128(uint256(logs[j].topics[1])) == ts[k].id;
            }
            assertTrue(found, "an applied member emitted no TransferCreated");
        }
        rejected = new Rejection[](n);
        n = 0;
        for (uint256 k; k < logs.length; ++k) {
            if (logs[k].topics[0] != ISovrLedger.TransferRejected.selector) continue;
            assertEq(logs[k].emitter, address(ledger));
            (uint256 index, ISovrLedger.TransferResult result) =
                abi.decode(logs[k].data, (uint256, ISovrLedger.TransferResult));
            rejected[n++] = Rejection(uint128(uint256(logs[k].topics[1])), index, result);
        }
    }

    /// @dev Every non-Ok result has exactly one TransferRejected event, in index order, and nothing else does.
    function _assertRejections(
        ISovrLedger.Transfer[] memory ts,
        ISovrLedger.TransferResult[] memory results,
        Rejection[] memory rejected
    ) internal pure {
        uint256 n;
        for (uint256 k; k < results.length; ++k) {
            if (results[k] == OK) continue;
            assertLt(n, rejected.length, "missing TransferRejected");
            assertEq(rejected[n].id, ts[k].id, "rejected id");
            assertEq(rejected[n].index, k, "rejected index");
            assertEq(uint256(rejected[n].result), uint256(results[k]), "rejected result");
            ++n;
        }
        assertEq(n, rejected.length, "extra TransferRejected");
    }

    // ================================================================ independent members

    function test_batch_independentMembersAllApply() public {
        ISovrLedger.Transfer[] memory ts = _three(_tx(1, A, B, 100), _tx(2, A, C, 200), _pendingTx(3, A, B, 50, 0));
        (ISovrLedger.TransferResult[] memory results, Rejection[] memory rejected, uint256 created) = _run(alice, ts);
        _assertResults(results, _r(OK, OK, OK));
        assertEq(rejected.length, 0);
        assertEq(created, 3);
        _assertBalances(A, 50, 300, 0, 1000);
        _assertBalances(B, 0, 0, 50, 100);
        _assertBalances(C, 0, 0, 0, 200);
    }

    function test_batch_badMembersNeverRevertTheBatch() public {
        ISovrLedger.Transfer[] memory ts = new ISovrLedger.Transfer[](6);
        ts[0] = _tx(1, A, B, 100);
        ts[1] = _tx(2, A, B, 5000); // too much
        ts[2] = _tx(0, A, B, 1); // id zero
        ts[3] = _tx(3, A, C, 50);
        ts[4] = _tx(4, B, C, 1); // bob's account, alice's batch
        ts[5] = _tx(1, A, B, 100); // resend of member 0
        (ISovrLedger.TransferResult[] memory results, Rejection[] memory rejected, uint256 created) = _run(alice, ts);
        ISovrLedger.TransferResult[] memory want = new ISovrLedger.TransferResult[](6);
        want[1] = ISovrLedger.TransferResult.ExceedsCredits;
        want[2] = ISovrLedger.TransferResult.IdMustNotBeZero;
        want[4] = ISovrLedger.TransferResult.NotAuthorized;
        want[5] = ISovrLedger.TransferResult.Exists;
        _assertResults(results, want);
        _assertRejections(ts, results, rejected);
        assertEq(created, 2);
        _assertBalances(A, 0, 150, 0, 1000);
        assertFalse(_hasTransfer(2));
        assertFalse(_hasTransfer(4));
    }

    function test_batch_membersSeeEarlierMembers() public {
        vm.prank(bob);
        ledger.setOperator(alice, true);
        // B spends what A sent it one member earlier ...
        (ISovrLedger.TransferResult[] memory results,,) = _run(alice, _two(_tx(1, A, B, 100), _tx(2, B, C, 100)));
        _assertResults(results, _r(OK, OK));
        _assertBalances(C, 0, 0, 0, 100);
        // ... but not what arrives one member later.
        (results,,) = _run(alice, _two(_tx(3, B, C, 100), _tx(4, A, B, 100)));
        _assertResults(results, _r(ISovrLedger.TransferResult.ExceedsCredits, OK));
        _assertBalances(B, 0, 100, 0, 200);
    }

    function test_batch_manyResultCodesInOneBatch() public {
        _submit(alice, _pendingTx(50, A, B, 10, 0));
        _submit(alice, _tx(51, A, B, 10));
        ISovrLedger.Transfer[] memory ts = new ISovrLedger.Transfer[](12);
        ts[0] = _txFlags(1, A, B, 1, uint16(1 << 12));
        ts[1] = _tx(RESERVED_ID_BIT | 7, A, B, 1);
        ts[2] = _tx(51, A, C, 10);
        ts[3] = _tx(2, A, B, 1);
        ts[4] = _postTx(3, 50, 11);
        ts[5] = _voidTx(4, 51);
        ts[6] = _tx(5, A, 999, 1);
        ts[7] = _postTx(6, 50, 4);
        ts[8] = _postTx(7, 50, 4);
        ts[9] = _txFlags(8, A, B, 0, CLOSING_DEBIT);
        ts[10] = _tx(9, A, B, 1);
        ts[10].code = 0;
        ts[11] = _voidTx(10, 50);
        (ISovrLedger.TransferResult[] memory results, Rejection[] memory rejected, uint256 created) = _run(alice, ts);
        ISovrLedger.TransferResult[] memory want = new ISovrLedger.TransferResult[](12);
        want[0] = ISovrLedger.TransferResult.ReservedFlag;
        want[1] = ISovrLedger.TransferResult.IdReserved;
        want[2] = ISovrLedger.TransferResult.ExistsWithDifferentCreditAccountId;
        want[3] = OK;
        want[4] = ISovrLedger.TransferResult.ExceedsPendingTransferAmount;
        want[5] = ISovrLedger.TransferResult.PendingTransferNotPending;
        want[6] = ISovrLedger.TransferResult.CreditAccountNotFound;
        want[7] = OK;
        want[8] = ISovrLedger.TransferResult.PendingTransferAlreadyPosted;
        want[9] = ISovrLedger.TransferResult.ClosingTransferMustBePending;
        want[10] = ISovrLedger.TransferResult.CodeMustNotBeZero;
        want[11] = ISovrLedger.TransferResult.PendingTransferAlreadyPosted;
        _assertResults(results, want);
        _assertRejections(ts, results, rejected);
        assertEq(created, 2);
        _assertBalances(A, 0, 15, 0, 1000);
    }

    function test_batch_emptyReverts() public {
        vm.prank(alice);
        vm.expectRevert(ISovrLedger.EmptyBatch.selector);
        ledger.createTransfers(new ISovrLedger.Transfer[](0));
    }

    function test_batch_pausedOnlyVoidsApply() public {
        _submit(alice, _pendingTx(50, A, B, 10, 0));
        address pauser = makeAddr("pauser");
        vm.startPrank(owner);
        ledger.grantRole(ledger.PAUSER_ROLE(), pauser);
        vm.stopPrank();
        vm.prank(pauser);
        ledger.pause();
        (ISovrLedger.TransferResult[] memory results,,) =
            _run(alice, _three(_tx(1, A, B, 1), _voidTx(2, 50), _pendingTx(3, A, B, 1, 0)));
        _assertResults(
            results, _r(ISovrLedger.TransferResult.LedgerPaused, OK, ISovrLedger.TransferResult.LedgerPaused)
        );
        _assertBalances(A, 0, 0, 0, 1000);
    }

    // ================================================================ linked chains

    function test_chain_successAppliesEveryMember() public {
        ISovrLedger.Transfer[] memory ts =
            _four(_linked(_tx(1, A, B, 100)), _linked(_tx(2, A, C, 100)), _tx(3, A, B, 1), _tx(4, A, C, 2));
        (ISovrLedger.TransferResult[] memory results, Rejection[] memory rejected, uint256 created) = _run(alice, ts);
        _assertResults(results, _r(OK, OK, OK, OK));
        assertEq(rejected.length, 0);
        assertEq(created, 4);
        _assertBalances(A, 0, 203, 0, 1000);
        assertEq(ledger.getTransfer(1).flags, LINKED, "the LINKED flag is stored");
    }

    function test_chain_failureRollsBackEveryMember() public {
        ISovrLedger.Transfer[] memory ts = _four(
            _linked(_tx(1, A, B, 100)),
            _linked(_tx(2, A, C, 5000)), // breaks the chain
            _tx(3, A, B, 1), // last member of the chain
            _tx(4, A, C, 7) // independent
        );
        (ISovrLedger.TransferResult[] memory results, Rejection[] memory rejected, uint256 created) = _run(alice, ts);
        _assertResults(results, _r(LEF, ISovrLedger.TransferResult.ExceedsCredits, LEF, OK));
        _assertRejections(ts, results, rejected);
        assertEq(created, 1, "only the independent member emits TransferCreated");
        _assertBalances(A, 0, 7, 0, 1000);
        _assertBalances(B, 0, 0, 0, 0);
        assertFalse(_hasTransfer(1));
        assertFalse(_hasTransfer(2));
        assertFalse(_hasTransfer(3));
        // Ids of a failed chain can be used again.
        _submit(alice, _tx(1, A, B, 100));
        _assertBalances(B, 0, 0, 0, 100);
    }

    function test_chain_membersAfterTheBreakAreNotEvaluated() public {
        ISovrLedger.Transfer memory broken = _linked(_tx(0, A, B, 1)); // id zero
        ISovrLedger.Transfer memory invalid = _linked(_tx(2, 0, 0, 1)); // would be DebitAccountIdMustNotBeZero
        ISovrLedger.Transfer memory last = _tx(3, A, 999, 1); // would be CreditAccountNotFound
        ISovrLedger.Transfer[] memory ts = _three(broken, invalid, last);
        (ISovrLedger.TransferResult[] memory results, Rejection[] memory rejected,) = _run(alice, ts);
        _assertResults(results, _r(ISovrLedger.TransferResult.IdMustNotBeZero, LEF, LEF));
        _assertRejections(ts, results, rejected);
    }

    function test_chain_rollbackRestoresPendingState() public {
        _submit(alice, _pendingTx(50, A, B, 40, 0));
        ISovrLedger.Transfer[] memory ts = _two(_linked(_postTx(1, 50, AMOUNT_MAX)), _tx(2, B, C, 40)); // not bob's
        (ISovrLedger.TransferResult[] memory results,,) = _run(alice, ts);
        _assertResults(results, _r(LEF, ISovrLedger.TransferResult.NotAuthorized));
        assertEq(uint256(ledger.getTransfer(50).status), uint256(ISovrLedger.PendingStatus.Pending));
        _assertBalances(A, 40, 0, 0, 1000);
        _assertBalances(B, 0, 0, 40, 0);
        // A chain that creates a pending transfer and posts it in one go.
        ts = _three(_linked(_pendingTx(60, A, B, 30, 0)), _linked(_postTx(61, 60, 20)), _tx(62, A, C, 1));
        (results,,) = _run(alice, ts);
        _assertResults(results, _r(OK, OK, OK));
        assertEq(uint256(ledger.getTransfer(60).status), uint256(ISovrLedger.PendingStatus.Posted));
        _assertBalances(A, 40, 21, 0, 1000);
    }

    function test_chain_openChainIsRolledBack() public {
        ISovrLedger.Transfer[] memory ts = _two(_linked(_tx(1, A, B, 1)), _linked(_tx(2, A, C, 1)));
        (ISovrLedger.TransferResult[] memory results, Rejection[] memory rejected, uint256 created) = _run(alice, ts);
        _assertResults(results, _r(LEF, OPEN));
        _assertRejections(ts, results, rejected);
        assertEq(created, 0);
        _assertBalances(A, 0, 0, 0, 1000);
        assertFalse(_hasTransfer(1));
        assertFalse(_hasTransfer(2));
    }

    function test_chain_openAfterTheChainBroke() public {
        _submit(alice, _tx(50, A, B, 1));
        // TigerBeetle: linked_event_failed, exists_with_different_flags, linked_event_chain_open.
        ISovrLedger.Transfer[] memory ts =
            _three(_linked(_tx(1, A, B, 1)), _linked(_tx(50, A, B, 1)), _linked(_tx(2, A, C, 1)));
        (ISovrLedger.TransferResult[] memory results, Rejection[] memory rejected,) = _run(alice, ts);
        _assertResults(results, _r(LEF, ISovrLedger.TransferResult.ExistsWithDifferentFlags, OPEN));
        _assertRejections(ts, results, rejected);
        _assertBalances(A, 0, 1, 0, 1000);
    }

    function test_chain_singleTrailingLinkedMember() public {
        (ISovrLedger.TransferResult[] memory results,,) = _run(alice, _one(_linked(_tx(1, A, B, 1))));
        _assertResults(results, _r(OPEN));
        // Members before an open chain of one are unaffected.
        ISovrLedger.Transfer[] memory ts = _three(_tx(2, A, B, 1), _tx(3, A, B, 2), _linked(_tx(4, A, B, 4)));
        (results,,) = _run(alice, ts);
        _assertResults(results, _r(OK, OK, OPEN));
        _assertBalances(B, 0, 0, 0, 3);
        // Even an invalid trailing member reports the open chain.
        (results,,) = _run(alice, _one(_linked(_tx(0, 0, 0, 0))));
        _assertResults(results, _r(OPEN));
        // The single path reverts with the matching error.
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.LinkedEventChainOpen.selector, uint128(5)));
        ledger.createTransfer(_linked(_tx(5, A, B, 1)));
    }

    function test_chain_existsBreaksTheChain() public {
        // TigerBeetle: A1 (LNK), A2 (LNK), A1 (LNK, exists), A3 -> failed, failed, exists, failed.
        ISovrLedger.Transfer[] memory ts = _four(
            _linked(_tx(1, A, B, 10)), _linked(_tx(2, A, B, 20)), _linked(_tx(1, A, B, 10)), _tx(3, A, C, 30)
        );
        (ISovrLedger.TransferResult[] memory results, Rejection[] memory rejected,) = _run(alice, ts);
        _assertResults(results, _r(LEF, LEF, ISovrLedger.TransferResult.Exists, LEF));
        _assertRejections(ts, results, rejected);
        _assertBalances(A, 0, 0, 0, 1000);
        // An id that already exists before the batch breaks the chain too.
        (results,,) = _run(alice, _two(_linked(_tx(9, A, B, 1)), _tx(11, A, B, 1)));
        _assertResults(results, _r(OK, OK));
        ts = _two(_linked(_tx(9, A, B, 1)), _tx(10, A, B, 1));
        (results,,) = _run(alice, ts);
        _assertResults(results, _r(ISovrLedger.TransferResult.Exists, LEF));
        _assertBalances(B, 0, 0, 0, 2);
        assertFalse(_hasTransfer(10));
    }

    function test_chain_twoChainsAreIndependent() public {
        ISovrLedger.Transfer[] memory ts = _four(
            _linked(_tx(1, A, B, 10)),
            _tx(2, A, B, 2000), // breaks the first chain
            _linked(_tx(3, A, C, 10)),
            _tx(4, A, C, 20)
        );
        (ISovrLedger.TransferResult[] memory results, Rejection[] memory rejected,) = _run(alice, ts);
        _assertResults(results, _r(LEF, ISovrLedger.TransferResult.ExceedsCredits, OK, OK));
        _assertRejections(ts, results, rejected);
        _assertBalances(B, 0, 0, 0, 0);
        _assertBalances(C, 0, 0, 0, 30);
    }

    // ================================================================ encoding

    /// @dev Word `field` of member `member` in createTransfers calldata (selector, offset, length, members).
    function _batchWord(uint256 member, uint256 field) internal pure returns (uint256) {
        return 4 + 0x40 + member * 0x140 + field * 0x20;
    }

    function _setWord(bytes memory data, uint256 at, uint256 value) internal pure {
        assembly ("memory-safe") {
            mstore(add(add(data, 0x20), at), value)
        }
    }

    function test_invalidEncoding_single() public {
        bytes memory data = abi.encodeCall(ledger.createTransfer, (_tx(1, A, B, 1)));
        uint256[4] memory fields = [uint256(8), 9, 7, 6]; // code, flags, ledger, timeout
        uint256[4] memory dirty = [uint256(1 | (1 << 16)), 1 << 16, uint256(USD) | (1 << 32), 1 << 32];
        for (uint256 k; k < fields.length; ++k) {
            bytes memory bad = bytes.concat(data);
            _setWord(bad, 4 + fields[k] * 0x20, dirty[k]);
            vm.prank(alice);
            (bool ok, bytes memory ret) = address(ledger).call(bad);
            assertFalse(ok);
            assertEq(ret, abi.encodeWithSelector(ISovrLedger.InvalidTransferEncoding.selector));
        }
        // A uint128 field with bits above 128 is refused too.
        bytes memory badId = bytes.concat(data);
        _setWord(badId, 4, 1 | (uint256(1) << 128));
        vm.prank(alice);
        (bool okId, bytes memory retId) = address(ledger).call(badId);
        assertFalse(okId);
        assertEq(retId, abi.encodeWithSelector(ISovrLedger.InvalidTransferEncoding.selector));
        assertFalse(_hasTransfer(1));
        // The clean encoding applies.
        vm.prank(alice);
        (bool clean,) = address(ledger).call(data);
        assertTrue(clean);
        assertTrue(_hasTransfer(1));
    }

    function test_invalidEncoding_batchRevertsAsAWhole() public {
        ISovrLedger.Transfer[] memory ts = _three(_tx(1, A, B, 1), _tx(2, A, B, 2), _tx(3, A, B, 3));
        bytes memory data = abi.encodeCall(ledger.createTransfers, (ts));
        bytes memory bad = bytes.concat(data);
        _setWord(bad, _batchWord(2, 8), uint256(PAYMENT) | (1 << 16)); // a dirty uint16 code in the last member
        vm.prank(alice);
        (bool ok, bytes memory ret) = address(ledger).call(bad);
        assertFalse(ok);
        assertEq(ret, abi.encodeWithSelector(ISovrLedger.InvalidTransferEncoding.selector));
        assertFalse(_hasTransfer(1), "earlier members are undone");
        // The first member of a chain is checked the same way.
        ts[0].flags = LINKED;
        data = abi.encodeCall(ledger.createTransfers, (ts));
        bad = bytes.concat(data);
        _setWord(bad, _batchWord(0, 6), 1 << 40); // a dirty uint32 timeout
        vm.prank(alice);
        (ok, ret) = address(ledger).call(bad);
        assertFalse(ok);
        assertEq(ret, abi.encodeWithSelector(ISovrLedger.InvalidTransferEncoding.selector));
        // A dirty field further inside a chain also reverts the whole batch.
        bad = bytes.concat(data);
        _setWord(bad, _batchWord(1, 9), uint256(1) << 20);
        vm.prank(alice);
        (ok,) = address(ledger).call(bad);
        assertFalse(ok);
        assertFalse(_hasTransfer(1));
        vm.prank(alice);
        (ok,) = address(ledger).call(data);
        assertTrue(ok);
        _assertBalances(B, 0, 0, 0, 6);
    }

    // ================================================================ fuzz

    /// @dev A chain applies all or nothing: either every member is Ok and applied, or none is applied and
    /// each member reports LinkedEventFailed except the one that broke it (and an open chain's last member).
    function testFuzz_chainIsAllOrNothing(uint256[5] calldata amounts, uint8 length, bool openEnd) public {
        uint256 n = bound(length, 1, 5);
        ISovrLedger.Transfer[] memory ts = new ISovrLedger.Transfer[](n);
        for (uint256 k; k < n; ++k) {
            ts[k] = _tx(uint128(k + 1), A, k % 2 == 0 ? B : C, uint128(bound(amounts[k], 0, 400)));
            if (k + 1 < n || openEnd) ts[k].flags = LINKED;
        }
        (ISovrLedger.TransferResult[] memory results, Rejection[] memory rejected, uint256 created) = _run(alice, ts);
        _assertRejections(ts, results, rejected);
        uint256 failures;
        uint256 sum;
        uint256 executed; // an open chain's last member is never run
        for (uint256 k; k < n; ++k) {
            sum += ts[k].amount;
            if (k + 1 < n || !openEnd) executed += ts[k].amount;
            if (results[k] != OK && results[k] != LEF) ++failures;
        }
        if (!openEnd && sum <= 1000) {
            assertEq(created, n);
            for (uint256 k; k < n; ++k) {
                assertEq(uint256(results[k]), uint256(OK));
            }
            _assertBalances(A, 0, sum, 0, 1000);
        } else {
            assertEq(created, 0);
            assertEq(failures, openEnd && executed > 1000 ? 2 : 1, "one breaking member (plus an open end)");
            if (openEnd) assertEq(uint256(results[n - 1]), uint256(OPEN));
            _assertBalances(A, 0, 0, 0, 1000);
            for (uint256 k; k < n; ++k) {
                assertFalse(_hasTransfer(ts[k].id));
            }
        }
    }
}
