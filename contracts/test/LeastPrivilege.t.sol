// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-std resolves through remappings.txt, which solhint does not read.
// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IAccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ComponentRegistry} from "../src/ComponentRegistry.sol";
import {GuardianAttestations} from "../src/GuardianAttestations.sol";
import {IComponentRegistry} from "../src/interfaces/IComponentRegistry.sol";
import {IGuardianAttestations} from "../src/interfaces/IGuardianAttestations.sol";
import {ISovrLedger} from "../src/interfaces/ISovrLedger.sol";
import {ISovrInvoices} from "../src/interfaces/ISovrInvoices.sol";
import {SovrCredit} from "../src/SovrCredit.sol";
import {SovrInvoices} from "../src/SovrInvoices.sol";
import {SovrLedger} from "../src/SovrLedger.sol";
import {SovrRelay} from "../src/SovrRelay.sol";

/// @notice Least privilege, table-driven: every external state-changing function of ComponentRegistry and
/// GuardianAttestations, and the ledger's (and credit's) admin- and guardian-relevant functions, is called
/// from the owner, the guardian EOA, a controller, a reporter and a fuzzed stranger, each from the same
/// state; exactly the callers a row allows must succeed. Each row also names a witness (a caller that must
/// succeed from that state) when none of the five may, so that no row passes because the call was malformed.
// solhint-disable-next-line max-states-count
contract LeastPrivilegeTest is Test {
    // Caller bits of `Row.allowed`; the fuzzed stranger has no bit: it is never allowed.
    uint256 internal constant OWNER = 1 << 0;
    uint256 internal constant GUARDIAN = 1 << 1;
    uint256 internal constant CONTROLLER = 1 << 2;
    uint256 internal constant REPORTER = 1 << 3;
    uint256 internal constant NOBODY = 0;
    uint256 internal constant CALLERS = 5;

    uint8 internal constant HIGH = uint8(IGuardianAttestations.Level.HIGH);
    uint8 internal constant CRITICAL = uint8(IGuardianAttestations.Level.CRITICAL);
    uint8 internal constant LOW = uint8(IGuardianAttestations.Level.LOW);
    bytes32 internal constant ANALYZER = "rules/1";
    bytes32 internal constant THREAT = "drain";
    uint128 internal constant ISSUER_ACCOUNT = 1;
    uint128 internal constant FUNDS = 1_000_000_000;

    enum Prep {
        None,
        LedgerPaused,
        AccountFrozen
    }

    struct Row {
        string name;
        address target;
        bytes data;
        uint256 allowed;
        address witness;
        Prep prep;
        /// @dev When set, what the guardian EOA's call must revert with (acts beyond the policy).
        bytes guardianError;
    }

    SovrLedger internal ledger;
    SovrCredit internal credit;
    ComponentRegistry internal registry;
    GuardianAttestations internal attestations;
    SovrInvoices internal invoices;

    address internal owner = makeAddr("owner");
    address internal guardian;
    uint256 internal guardianKey;
    address internal controller = makeAddr("controller");
    address internal reporter = makeAddr("reporter");
    address internal controller2 = makeAddr("controller2");
    address internal reporter2 = makeAddr("reporter2");
    address internal holder = makeAddr("holder");
    address internal spender = makeAddr("spender");
    address internal payee = makeAddr("payee");

    /// @notice Ids created by `setUp`.
    struct Fixture {
        uint128 holderAccount;
        uint128 payeeAccount;
        uint64 intentMine;
        uint64 intentTheirs;
        uint64 verdictBlockHigh;
        uint64 verdictBlockLow;
        uint64 verdictEmergencyCritical;
        uint64 verdictEmergencyHigh;
        uint64 verdictAlert;
    }

    Fixture internal f;

    function setUp() public {
        vm.warp(1_700_000_000);
        (guardian, guardianKey) = makeAddrAndKey("guardian");

        // The deployment: ledger, credit (TREASURY_ROLE, CREDIT_ROLE), registry, attestations (PAUSER_ROLE,
        // FREEZER_ROLE). The owner holds every DEFAULT_ADMIN_ROLE and no ledger role besides.
        ledger = new SovrLedger(owner, 0);
        credit = new SovrCredit(ISovrLedger(address(ledger)), owner, 0, type(uint96).max);
        registry = new ComponentRegistry(owner, 0);
        attestations = new GuardianAttestations(ISovrLedger(address(ledger)), owner, 0, guardian);
        invoices = new SovrInvoices(ISovrLedger(address(ledger)));
        vm.startPrank(owner);
        ledger.grantRole(ledger.SETTLER_ROLE(), address(invoices));
        ledger.grantRole(ledger.TREASURY_ROLE(), address(credit));
        ledger.grantRole(ledger.CREDIT_ROLE(), address(credit));
        ledger.grantRole(ledger.PAUSER_ROLE(), address(attestations));
        ledger.grantRole(ledger.FREEZER_ROLE(), address(attestations));
        credit.openIssuerAccount(ISSUER_ACCOUNT);
        credit.issueTo(1, holder, FUNDS, bytes32(0));

        // Components 1 (controller, reporter) and 2 (controller2, reporter2), one pending intent each.
        registry.register("api", 0, "http://127.0.0.1:3000/health", true, controller, reporter);
        registry.register("web", 2, "http://127.0.0.1:5173/", false, controller2, reporter2);
        f.intentMine = registry.requestControl(1, uint8(IComponentRegistry.Action.RESTART));
        f.intentTheirs = registry.requestControl(2, uint8(IComponentRegistry.Action.RESTART));

        // Policy: freeze from HIGH, pause from CRITICAL.
        attestations.setPolicy(true, HIGH, true, CRITICAL);
        vm.stopPrank();

        vm.startPrank(guardian);
        f.verdictBlockHigh = _attestAs("block-high", HIGH, IGuardianAttestations.Action.BLOCK);
        f.verdictBlockLow = _attestAs("block-low", LOW, IGuardianAttestations.Action.BLOCK);
        f.verdictEmergencyCritical = _attestAs(
            "emergency-critical", CRITICAL, IGuardianAttestations.Action.EMERGENCY_SHUTDOWN
        );
        f.verdictEmergencyHigh = _attestAs("emergency-high", HIGH, IGuardianAttestations.Action.EMERGENCY_SHUTDOWN);
        f.verdictAlert = _attestAs("alert", CRITICAL, IGuardianAttestations.Action.ALERT);
        vm.stopPrank();

        f.holderAccount = ledger.primaryAccountId(holder);
        f.payeeAccount = ledger.openPrimaryAccount(payee);
        IERC20 token = IERC20(address(ledger.token()));
        vm.prank(holder);
        token.approve(spender, FUNDS);
        // Invoice 1: the payee bills the holder.
        vm.prank(payee);
        invoices.createInvoice(f.payeeAccount, 1, holder, 0, false, "", new ISovrInvoices.LineItem[](0));
    }

    function _attestAs(bytes32 subject, uint8 level, IGuardianAttestations.Action action) internal returns (uint64) {
        return attestations.attest(subject, level, uint8(action), THREAT, 90, "x", ANALYZER);
    }

    // ================================================================ the tables

    function testFuzz_LeastPrivilege_ComponentRegistry(address stranger) public {
        _assumeStranger(stranger);
        Row[] memory rows = _registryRows();
        for (uint256 i = 0; i < rows.length; ++i) {
            _check(rows[i], stranger);
        }
    }

    function testFuzz_LeastPrivilege_GuardianAttestations(address stranger) public {
        _assumeStranger(stranger);
        Row[] memory rows = _attestationRows();
        for (uint256 i = 0; i < rows.length; ++i) {
            _check(rows[i], stranger);
        }
    }

    function testFuzz_LeastPrivilege_LedgerAndCredit(address stranger) public {
        _assumeStranger(stranger);
        Row[] memory rows = _ledgerRows();
        for (uint256 i = 0; i < rows.length; ++i) {
            _check(rows[i], stranger);
        }
    }

    function _registryRows() internal view returns (Row[] memory rows) {
        uint32[] memory both = new uint32[](2);
        both[0] = 1;
        both[1] = 2;
        bytes32 anyRole = keccak256("ANY_ROLE");
        address r = address(registry);
        rows = new Row[](19);
        rows[0] = _row(
            "register", r, abi.encodeCall(registry.register, ("x", 0, "e", false, controller, reporter)), OWNER
        );
        rows[1] = _row(
            "update", r, abi.encodeCall(registry.update, (1, "x", 0, "e", false, controller, reporter)), OWNER
        );
        rows[2] = _row("retire", r, abi.encodeCall(registry.retire, (1)), OWNER);
        rows[3] = _row("setBeatInterval", r, abi.encodeCall(registry.setBeatInterval, (60)), OWNER);
        rows[4] = _row("requestControl", r, abi.encodeCall(registry.requestControl, (1, 0)), OWNER);
        rows[5] = _row("requestControlMany", r, abi.encodeCall(registry.requestControlMany, (both, 2)), OWNER);
        rows[6] = _row("requestControlAll", r, abi.encodeCall(registry.requestControlAll, (1)), OWNER);
        rows[7] = _row(
            "reportOutcome(own)", r, abi.encodeCall(registry.reportOutcome, (f.intentMine, true, "")), CONTROLLER
        );
        rows[8] = _witnessed(
            "reportOutcome(other's)", r, abi.encodeCall(registry.reportOutcome, (f.intentTheirs, true, "")), controller2
        );
        rows[9] = _row("reportHealth(own)", r, abi.encodeCall(registry.reportHealth, (1, 1, 5)), CONTROLLER);
        rows[10] = _witnessed(
            "reportHealth(other's)", r, abi.encodeCall(registry.reportHealth, (2, 1, 5)), controller2
        );
        rows[11] = _row("beat(own)", r, abi.encodeCall(registry.beat, (1, 5)), CONTROLLER);
        rows[12] = _witnessed("beat(other's)", r, abi.encodeCall(registry.beat, (2, 5)), controller2);
        rows[13] = _row("signal(own)", r, abi.encodeCall(registry.signal, (1, 1, "auth_failure", "m")), REPORTER);
        rows[14] = _witnessed("signal(other's)", r, abi.encodeCall(registry.signal, (2, 1, "k", "m")), reporter2);
        rows[15] = _row("grantRole", r, abi.encodeCall(IAccessControl.grantRole, (anyRole, payee)), OWNER);
        rows[16] = _row("revokeRole", r, abi.encodeCall(IAccessControl.revokeRole, (anyRole, payee)), OWNER);
        rows[17] = _row("beginDefaultAdminTransfer", r, _beginAdminTransfer(guardian), OWNER);
        rows[18] = _row("changeDefaultAdminDelay", r, _changeAdminDelay(), OWNER);
    }

    function _attestationRows() internal view returns (Row[] memory rows) {
        address a = address(attestations);
        bytes32 role = attestations.GUARDIAN_ROLE();
        IGuardianAttestations.Refusal levelLow = IGuardianAttestations.Refusal.LevelBelowMinimum;
        IGuardianAttestations.Refusal mismatch = IGuardianAttestations.Refusal.ActionMismatch;
        uint64 next = attestations.verdictCount() + 1;
        rows = new Row[](22);
        rows[0] = _row(
            "attest", a, abi.encodeCall(attestations.attest, ("new", 1, 1, THREAT, 1, "x", ANALYZER)), GUARDIAN
        );
        rows[1] = _row("attestAndFreeze(within)", a, _attestAndFreeze(HIGH), GUARDIAN);
        rows[2] = _beyond("attestAndFreeze(beyond)", a, _attestAndFreeze(LOW), _refusal(next, levelLow));
        rows[3] = _row("attestAndPause(within)", a, _attestAndPause(CRITICAL), GUARDIAN);
        rows[4] = _beyond("attestAndPause(beyond)", a, _attestAndPause(HIGH), _refusal(next, levelLow));
        rows[5] = _row("freezeAccount(within)", a, _freezeVia(f.verdictBlockHigh), GUARDIAN);
        rows[6] = _beyond(
            "freezeAccount(level)", a, _freezeVia(f.verdictBlockLow), _refusal(f.verdictBlockLow, levelLow)
        );
        rows[7] = _beyond("freezeAccount(action)", a, _freezeVia(f.verdictAlert), _refusal(f.verdictAlert, mismatch));
        rows[8] = _row("pauseLedger(within)", a, _pauseVia(f.verdictEmergencyCritical), GUARDIAN);
        rows[9] = _beyond(
            "pauseLedger(level)", a, _pauseVia(f.verdictEmergencyHigh), _refusal(f.verdictEmergencyHigh, levelLow)
        );
        rows[10] = _beyond(
            "pauseLedger(action)", a, _pauseVia(f.verdictBlockHigh), _refusal(f.verdictBlockHigh, mismatch)
        );
        rows[11] = _row("setPolicy", a, abi.encodeCall(attestations.setPolicy, (true, 0, true, 0)), OWNER);
        rows[12] = _row("acknowledge", a, abi.encodeCall(attestations.acknowledge, (f.verdictAlert, "ok")), OWNER);
        rows[13] = _row("grantRole", a, abi.encodeCall(IAccessControl.grantRole, (role, payee)), OWNER);
        rows[14] = _row("revokeRole", a, abi.encodeCall(IAccessControl.revokeRole, (role, guardian)), OWNER);
        rows[15] = _row(
            "renounceRole(own)", a, abi.encodeCall(IAccessControl.renounceRole, (role, guardian)), GUARDIAN
        );
        rows[16] = _row("beginDefaultAdminTransfer", a, _beginAdminTransfer(guardian), OWNER);
        rows[17] = _row("changeDefaultAdminDelay", a, _changeAdminDelay(), OWNER);
        // The attestations contract has no inverse or funds function for anyone to reach the ledger through.
        rows[18] = _none("no unpause()", a, abi.encodeCall(SovrLedger.unpause, ()));
        rows[19] = _none("no unfreezeAccount()", a, abi.encodeCall(ISovrLedger.unfreezeAccount, (f.holderAccount)));
        rows[20] = _none("no createTransfer()", a, abi.encodeCall(ISovrLedger.createTransfer, (_pay(7))));
        uint64[] memory verdicts = new uint64[](1);
        verdicts[0] = f.verdictAlert;
        rows[21] = _row("acknowledgeMany", a, abi.encodeCall(attestations.acknowledgeMany, (verdicts, "ok")), OWNER);
    }

    function _ledgerRows() internal view returns (Row[] memory rows) {
        address led = address(ledger);
        address c = address(credit);
        address guardianContract = address(attestations);
        rows = new Row[](21);
        rows[0] = _witnessed("ledger.pause", led, abi.encodeCall(SovrLedger.pause, ()), guardianContract);
        rows[1] = _row("ledger.unpause", led, abi.encodeCall(SovrLedger.unpause, ()), OWNER);
        rows[1].prep = Prep.LedgerPaused;
        rows[2] = _witnessed(
            "ledger.freezeAccount", led, abi.encodeCall(ISovrLedger.freezeAccount, (f.holderAccount)), guardianContract
        );
        rows[3] = _row(
            "ledger.unfreezeAccount", led, abi.encodeCall(ISovrLedger.unfreezeAccount, (f.holderAccount)), OWNER
        );
        rows[3].prep = Prep.AccountFrozen;
        rows[4] = _row("ledger.grantRole(PAUSER)", led, _grant(ledger.PAUSER_ROLE(), guardian), OWNER);
        rows[5] = _row("ledger.grantRole(FREEZER)", led, _grant(ledger.FREEZER_ROLE(), guardian), OWNER);
        rows[6] = _row("ledger.grantRole(TREASURY)", led, _grant(ledger.TREASURY_ROLE(), guardian), OWNER);
        rows[7] = _row(
            "ledger.revokeRole(PAUSER)",
            led,
            abi.encodeCall(IAccessControl.revokeRole, (ledger.PAUSER_ROLE(), guardianContract)),
            OWNER
        );
        rows[8] = _row("ledger.beginDefaultAdminTransfer", led, _beginAdminTransfer(guardian), OWNER);
        rows[9] = _row("ledger.changeDefaultAdminDelay", led, _changeAdminDelay(), OWNER);
        rows[10] = _witnessed(
            "ledger.createTransfer(holder's)", led, abi.encodeCall(ISovrLedger.createTransfer, (_pay(9))), holder
        );
        rows[11] = _witnessed(
            "token.transferFrom(holder's)",
            address(ledger.token()),
            abi.encodeCall(IERC20.transferFrom, (holder, payee, 1)),
            spender
        );
        rows[12] = _witnessed(
            "ledger.setCreditLine", led, abi.encodeCall(ISovrLedger.setCreditLine, (f.holderAccount, 100, 0)), c
        );
        rows[13] = _witnessed(
            "ledger.setSupplyAccount", led, abi.encodeCall(ISovrLedger.setSupplyAccount, (f.holderAccount)), c
        );
        rows[14] = _row(
            "credit.issue", c, abi.encodeCall(SovrCredit.issue, (50, f.holderAccount, 1, bytes32(0))), OWNER
        );
        rows[15] = _row("credit.issueTo", c, abi.encodeCall(SovrCredit.issueTo, (51, payee, 1, bytes32(0))), OWNER);
        rows[16] = _row(
            "credit.setCreditLine", c, abi.encodeCall(SovrCredit.setCreditLine, (f.holderAccount, 100, 0)), OWNER
        );
        rows[17] = _row("credit.setIssuanceCeiling", c, abi.encodeCall(SovrCredit.setIssuanceCeiling, (1)), OWNER);
        rows[18] = _row("credit.grantRole(ISSUER)", c, _grant(credit.ISSUER_ROLE(), guardian), OWNER);
        // Only the settler (the invoices contract) debits with another's authority, and only as its caller.
        rows[19] = _witnessed(
            "ledger.createTransferFor(holder's)",
            led,
            abi.encodeCall(ISovrLedger.createTransferFor, (holder, _pay(13))),
            address(invoices)
        );
        rows[20] = _witnessed(
            "invoices.cancel(payee's)", address(invoices), abi.encodeCall(SovrInvoices.cancel, (1)), payee
        );
    }

    // ================================================================ beyond the tables

    /// @dev `createTransfers` reports per-transfer results instead of reverting: nobody but the holder moves its funds.
    function testFuzz_NobodyButTheHolderMovesItsFundsInABatch(address stranger) public {
        _assumeStranger(stranger);
        address[CALLERS] memory callers = [owner, guardian, controller, reporter, stranger];
        ISovrLedger.Transfer[] memory batch = new ISovrLedger.Transfer[](1);
        batch[0] = _pay(11);
        for (uint256 i = 0; i < CALLERS; ++i) {
            vm.prank(callers[i]);
            ISovrLedger.TransferResult[] memory results = ledger.createTransfers(batch);
            assertEq(uint8(results[0]), uint8(ISovrLedger.TransferResult.NotAuthorized));
        }
        assertEq(ledger.getAccount(f.holderAccount).debitsPosted, 0);
        vm.prank(holder);
        assertEq(uint8(ledger.createTransfers(batch)[0]), uint8(ISovrLedger.TransferResult.Ok));
        assertEq(ledger.getAccount(f.holderAccount).debitsPosted, 1);
    }

    /// @dev The guardian's own key signs nothing that the holder's account honours through the relay.
    function testFuzz_GuardianSignatureCannotMoveTheHoldersFunds(uint128 amount) public {
        amount = uint128(bound(amount, 1, FUNDS));
        ISovrLedger.Transfer memory t = _pay(12);
        t.amount = amount;
        uint256 deadline = block.timestamp + 1 hours;
        SovrRelay relay = ledger.relay();
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(guardianKey, relay.transferDigest(t, deadline));
        bytes memory signature = abi.encodePacked(r, s, v);

        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.NotAuthorized.selector, t.id));
        relay.createTransferWithSignature(t, guardian, deadline, signature);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.InvalidSignature.selector, holder));
        relay.createTransferWithSignature(t, holder, deadline, signature);
        assertEq(ledger.getAccount(f.holderAccount).debitsPosted, 0);
    }

    /// @dev Only the attestations contract holds the ledger's PAUSER_ROLE and FREEZER_ROLE; the guardian holds none.
    function testFuzz_OnlyTheAttestationsContractHoldsTheLedgersSafetyRoles(address someone) public view {
        vm.assume(someone != address(attestations));
        assertFalse(ledger.hasRole(ledger.PAUSER_ROLE(), someone));
        assertFalse(ledger.hasRole(ledger.FREEZER_ROLE(), someone));
        assertTrue(ledger.hasRole(ledger.PAUSER_ROLE(), address(attestations)));
        assertTrue(ledger.hasRole(ledger.FREEZER_ROLE(), address(attestations)));
        bytes32[3] memory others = [ledger.DEFAULT_ADMIN_ROLE(), ledger.TREASURY_ROLE(), ledger.CREDIT_ROLE()];
        for (uint256 i = 0; i < others.length; ++i) {
            assertFalse(ledger.hasRole(others[i], guardian));
            assertFalse(ledger.hasRole(others[i], address(attestations)));
        }
    }

    /// @dev Only the invoices contract holds the ledger's SETTLER_ROLE, and it pays only from its caller's account.
    function testFuzz_OnlyTheInvoicesContractSettles(address someone) public {
        vm.assume(someone != address(invoices) && someone != holder);
        assertFalse(ledger.hasRole(ledger.SETTLER_ROLE(), someone));
        assertTrue(ledger.hasRole(ledger.SETTLER_ROLE(), address(invoices)));
        vm.prank(someone);
        try invoices.pay(1, 1, 1) {
            assertTrue(false, "someone paid from an account that is not theirs");
        } catch {}
        assertEq(ledger.getAccount(f.holderAccount).debitsPosted, 0);
        vm.prank(holder);
        invoices.pay(1, 1, 1);
        assertEq(ledger.getAccount(f.holderAccount).debitsPosted, 1);
    }

    // ================================================================ machinery

    function _check(Row memory row, address stranger) internal {
        address[CALLERS] memory callers = [owner, guardian, controller, reporter, stranger];
        string[CALLERS] memory names = ["owner", "guardian", "controller", "reporter", "stranger"];
        for (uint256 i = 0; i < CALLERS; ++i) {
            bool allowed = row.allowed & (1 << i) != 0;
            (bool ok, bytes memory returned) = _call(row, callers[i]);
            assertEq(ok, allowed, string.concat(row.name, " called by ", names[i]));
            if (callers[i] == guardian && row.guardianError.length != 0) {
                assertEq(returned, row.guardianError, string.concat(row.name, ": the guardian's refusal"));
            }
        }
        if (row.witness != address(0)) {
            (bool ok,) = _call(row, row.witness);
            assertTrue(ok, string.concat(row.name, " called by its witness"));
        }
    }

    /// @dev Calls from a snapshot and rolls back, so that every caller starts from the same state.
    function _call(Row memory row, address caller) internal returns (bool ok, bytes memory returned) {
        uint256 snapshot = vm.snapshotState();
        if (row.prep == Prep.LedgerPaused) {
            vm.prank(address(attestations));
            ledger.pause();
        } else if (row.prep == Prep.AccountFrozen) {
            vm.prank(address(attestations));
            ledger.freezeAccount(f.holderAccount);
        }
        vm.prank(caller);
        // The table's whole point: call each function with its calldata and see whether it reverts.
        // solhint-disable-next-line avoid-low-level-calls
        (ok, returned) = row.target.call(row.data);
        vm.revertToStateAndDelete(snapshot);
    }

    function _assumeStranger(address stranger) internal view {
        vm.assume(
            stranger != owner && stranger != guardian && stranger != controller && stranger != reporter
                && stranger != controller2 && stranger != reporter2 && stranger != holder && stranger != spender
                && stranger != address(attestations) && stranger != address(credit) && stranger != address(ledger)
                && stranger != address(registry) && stranger != address(ledger.token())
                && stranger != address(ledger.relay()) && stranger != address(invoices) && stranger != payee
                && stranger != address(this)
        );
    }

    function _row(string memory name, address target, bytes memory data, uint256 allowed)
        internal
        pure
        returns (Row memory)
    {
        return Row(name, target, data, allowed, address(0), Prep.None, "");
    }

    function _witnessed(string memory name, address target, bytes memory data, address witness)
        internal
        pure
        returns (Row memory)
    {
        return Row(name, target, data, NOBODY, witness, Prep.None, "");
    }

    function _beyond(string memory name, address target, bytes memory data, bytes memory guardianError)
        internal
        pure
        returns (Row memory)
    {
        return Row(name, target, data, NOBODY, address(0), Prep.None, guardianError);
    }

    function _none(string memory name, address target, bytes memory data) internal pure returns (Row memory) {
        return Row(name, target, data, NOBODY, address(0), Prep.None, "");
    }

    function _refusal(uint64 verdictId, IGuardianAttestations.Refusal refusal) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IGuardianAttestations.ActionNotAllowed.selector, verdictId, refusal);
    }

    function _attestAndFreeze(uint8 level) internal view returns (bytes memory) {
        return abi.encodeCall(attestations.attestAndFreeze, ("new", level, THREAT, 90, "x", ANALYZER, f.holderAccount));
    }

    function _attestAndPause(uint8 level) internal view returns (bytes memory) {
        return abi.encodeCall(attestations.attestAndPause, ("new", level, THREAT, 90, "x", ANALYZER));
    }

    function _freezeVia(uint64 verdictId) internal view returns (bytes memory) {
        return abi.encodeCall(attestations.freezeAccount, (verdictId, f.holderAccount));
    }

    function _pauseVia(uint64 verdictId) internal view returns (bytes memory) {
        return abi.encodeCall(attestations.pauseLedger, (verdictId));
    }

    function _grant(bytes32 role, address account) internal pure returns (bytes memory) {
        return abi.encodeCall(IAccessControl.grantRole, (role, account));
    }

    function _beginAdminTransfer(address newAdmin) internal pure returns (bytes memory) {
        return abi.encodeCall(IAccessControlDefaultAdminRules.beginDefaultAdminTransfer, (newAdmin));
    }

    function _changeAdminDelay() internal pure returns (bytes memory) {
        return abi.encodeCall(IAccessControlDefaultAdminRules.changeDefaultAdminDelay, (1 days));
    }

    /// @dev A payment from the holder's account to the payee's.
    function _pay(uint128 id) internal view returns (ISovrLedger.Transfer memory) {
        return ISovrLedger.Transfer({
            id: id,
            debitAccountId: f.holderAccount,
            creditAccountId: f.payeeAccount,
            amount: 1,
            pendingId: 0,
            userData: bytes32(0),
            timeout: 0,
            ledger: 840,
            code: 1,
            flags: 0
        });
    }
}
