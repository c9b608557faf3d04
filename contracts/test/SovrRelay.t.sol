// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrLedger} from "../src/interfaces/ISovrLedger.sol";
import {LedgerFixture} from "./utils/LedgerFixture.sol";
import {MiniWallet} from "./utils/MiniWallet.sol";
import {SovrLedger} from "../src/SovrLedger.sol";
import {SovrRelay} from "../src/SovrRelay.sol";

/// @notice Signed transfers: the debit account's owner (or operator, or ERC-1271 wallet) signs, anyone relays.
contract SovrRelayTest is LedgerFixture {
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant TRANSFER_TYPEHASH = keccak256(
        "Transfer(uint128 id,uint128 debitAccountId,uint128 creditAccountId,uint128 amount,uint128 pendingId,"
        "bytes32 userData,uint32 timeout,uint32 ledger,uint16 code,uint16 flags,uint256 deadline)"
    );

    uint128 internal constant S = 11; // the signer's account
    uint128 internal constant B = 2; // bob
    address internal signer;
    uint256 internal signerKey;
    address internal relayer = makeAddr("relayer");

    function setUp() public override {
        super.setUp();
        (signer, signerKey) = makeAddrAndKey("signer");
        _open(signer, S);
        _open(bob, B);
        _fund(S, 1000);
    }

    /// @dev The EIP-712 digest computed independently of the relay.
    function _digest(ISovrLedger.Transfer memory t, uint256 deadline, uint256 chainId, address verifying)
        internal
        pure
        returns (bytes32)
    {
        bytes32 domain =
            keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("SovrLedger"), keccak256("1"), chainId, verifying));
        bytes32 structHash = keccak256(
            abi.encode(
                TRANSFER_TYPEHASH,
                t.id,
                t.debitAccountId,
                t.creditAccountId,
                t.amount,
                t.pendingId,
                t.userData,
                t.timeout,
                t.ledger,
                t.code,
                t.flags,
                deadline
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _signFor(uint256 key, ISovrLedger.Transfer memory t, uint256 deadline)
        internal
        view
        returns (bytes memory)
    {
        return _sign(key, _digest(t, deadline, block.chainid, address(relay)));
    }

    function _relay(ISovrLedger.Transfer memory t, address who, uint256 deadline, bytes memory sig) internal {
        vm.prank(relayer);
        relay.createTransferWithSignature(t, who, deadline, sig);
    }

    // ================================================================ happy path

    function test_domainAndDigest() public view {
        (, string memory name, string memory version, uint256 chainId, address verifying,,) = relay.eip712Domain();
        assertEq(name, "SovrLedger");
        assertEq(version, "1");
        assertEq(chainId, block.chainid);
        assertEq(verifying, address(relay));
        assertEq(address(relay.ledger()), address(ledger));
        assertEq(relay.TRANSFER_TYPEHASH(), TRANSFER_TYPEHASH);
        ISovrLedger.Transfer memory t = _tx(1, S, B, 250);
        t.userData = keccak256("x");
        assertEq(relay.transferDigest(t, 77), _digest(t, 77, block.chainid, address(relay)));
    }

    function test_relay_strangerSubmitsSignedTransfer() public {
        ISovrLedger.Transfer memory t = _tx(1, S, B, 250);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _signFor(signerKey, t, deadline);
        vm.expectEmit(true, true, true, true, address(ledger));
        emit ISovrLedger.TransferCreated(1, S, B, 250, 0, bytes32(0), _details(0, PAYMENT, USD, 0));
        _relay(t, signer, deadline, sig);
        _assertBalances(S, 0, 250, 0, 1000);
        _assertBalances(B, 0, 0, 0, 250);
        // The relayer itself has no authority over the account.
        _expectRejected(
            relayer, _tx(2, S, B, 1), ISovrLedger.TransferResult.NotAuthorized, ISovrLedger.NotAuthorized.selector
        );
    }

    function test_relay_deadlineIsInclusive() public {
        ISovrLedger.Transfer memory t = _tx(1, S, B, 1);
        uint256 deadline = block.timestamp + 10;
        bytes memory sig = _signFor(signerKey, t, deadline);
        vm.warp(deadline);
        _relay(t, signer, deadline, sig);
        assertTrue(_hasTransfer(1));
    }

    function test_relay_pendingThenSignedPost() public {
        uint256 deadline = block.timestamp + 1 hours;
        ISovrLedger.Transfer memory p = _pendingTx(1, S, B, 300, 0);
        _relay(p, signer, deadline, _signFor(signerKey, p, deadline));
        ISovrLedger.Transfer memory post = _postTx(2, 1, 100);
        _relay(post, signer, deadline, _signFor(signerKey, post, deadline));
        _assertBalances(S, 0, 100, 0, 1000);
        _assertBalances(B, 0, 0, 0, 100);
    }

    // ================================================================ refusals

    function test_relay_badSignature() public {
        ISovrLedger.Transfer memory t = _tx(1, S, B, 1);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory garbage = abi.encodePacked(keccak256("r"), keccak256("s"), uint8(27));
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.InvalidSignature.selector, signer));
        _relay(t, signer, deadline, garbage);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.InvalidSignature.selector, signer));
        _relay(t, signer, deadline, "");
        // A valid signature over other fields.
        bytes memory sig = _signFor(signerKey, t, deadline);
        t.amount = 2;
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.InvalidSignature.selector, signer));
        _relay(t, signer, deadline, sig);
        t.amount = 1;
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.InvalidSignature.selector, signer));
        _relay(t, signer, deadline + 1, sig); // the deadline is signed too
        assertFalse(_hasTransfer(1));
    }

    function test_relay_wrongSigner() public {
        (address eve, uint256 eveKey) = makeAddrAndKey("eve");
        ISovrLedger.Transfer memory t = _tx(1, S, B, 1);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory eveSig = _signFor(eveKey, t, deadline);
        // Eve's signature does not verify for the account owner ...
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.InvalidSignature.selector, signer));
        _relay(t, signer, deadline, eveSig);
        // ... and verifies for Eve, who has no authority over the account.
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.NotAuthorized.selector, uint128(1)));
        _relay(t, eve, deadline, eveSig);
        _assertBalances(S, 0, 0, 0, 1000);
    }

    function test_relay_expiredDeadline() public {
        ISovrLedger.Transfer memory t = _tx(1, S, B, 1);
        uint256 deadline = block.timestamp + 10;
        bytes memory sig = _signFor(signerKey, t, deadline);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.SignatureExpired.selector, deadline));
        _relay(t, signer, deadline, sig);
        assertFalse(_hasTransfer(1));
    }

    function test_relay_replayFailsWithExists() public {
        ISovrLedger.Transfer memory t = _tx(1, S, B, 100);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _signFor(signerKey, t, deadline);
        _relay(t, signer, deadline, sig);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.Exists.selector, uint128(1)));
        _relay(t, signer, deadline, sig);
        _assertBalances(S, 0, 100, 0, 1000);
    }

    function test_relay_otherChainId() public {
        ISovrLedger.Transfer memory t = _tx(1, S, B, 1);
        uint256 deadline = block.timestamp + 1 hours;
        uint256 home = block.chainid;
        // Signed for another chain.
        bytes memory foreign = _sign(signerKey, _digest(t, deadline, home + 1, address(relay)));
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.InvalidSignature.selector, signer));
        _relay(t, signer, deadline, foreign);
        // Signed here, relayed after a fork to another chain id.
        bytes memory sig = _signFor(signerKey, t, deadline);
        vm.chainId(home + 1);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.InvalidSignature.selector, signer));
        _relay(t, signer, deadline, sig);
        // The foreign signature is valid there.
        _relay(t, signer, deadline, foreign);
        assertTrue(_hasTransfer(1));
    }

    function test_relay_otherDeployment() public {
        SovrLedger other = new SovrLedger(owner, 0);
        SovrRelay otherRelay = other.relay();
        vm.startPrank(owner);
        other.grantRole(other.TREASURY_ROLE(), treasury);
        vm.stopPrank();
        vm.prank(signer);
        other.createAccount(S, USD, ACCOUNT_HOLDER, DEBITS_MUST_NOT_EXCEED_CREDITS);
        vm.prank(treasury);
        other.createAccount(99, USD, ACCOUNT_TREASURY, 0);
        vm.prank(treasury);
        other.createTransfer(_tx(50, 99, S, 1000));

        ISovrLedger.Transfer memory t = _tx(1, S, 99, 10);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory here = _signFor(signerKey, t, deadline);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.InvalidSignature.selector, signer));
        otherRelay.createTransferWithSignature(t, signer, deadline, here);
        // A signature for the other relay works there and not here.
        bytes memory there = _sign(signerKey, _digest(t, deadline, block.chainid, address(otherRelay)));
        otherRelay.createTransferWithSignature(t, signer, deadline, there);
        assertEq(other.getAccount(S).debitsPosted, 10);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.InvalidSignature.selector, signer));
        _relay(_tx(1, S, B, 10), signer, deadline, there);
        // The relay is trusted only by its own ledger.
        vm.prank(address(otherRelay));
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.OnlyRelay.selector, address(otherRelay)));
        ledger.createTransferAs(signer, _tx(2, S, B, 1));
    }

    function test_relay_erc1271Wallet() public {
        (address walletOwner, uint256 walletOwnerKey) = makeAddrAndKey("walletOwner");
        MiniWallet wallet = new MiniWallet(walletOwner);
        _open(address(wallet), 20);
        _fund(20, 500);
        ISovrLedger.Transfer memory t = _tx(1, 20, B, 125);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _signFor(walletOwnerKey, t, deadline);
        _relay(t, address(wallet), deadline, sig);
        _assertBalances(20, 0, 125, 0, 500);
        // A signature the wallet does not accept.
        ISovrLedger.Transfer memory t2 = _tx(2, 20, B, 1);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.InvalidSignature.selector, address(wallet)));
        _relay(t2, address(wallet), deadline, _signFor(signerKey, t2, deadline));
        // The wallet owner's key is not the account owner: signing as itself gives no authority.
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.NotAuthorized.selector, uint128(2)));
        _relay(t2, walletOwner, deadline, _signFor(walletOwnerKey, t2, deadline));
    }

    function test_relay_operatorSigner() public {
        (address op, uint256 opKey) = makeAddrAndKey("operator");
        vm.prank(signer);
        ledger.setOperator(op, true);
        ISovrLedger.Transfer memory t = _tx(1, S, B, 40);
        uint256 deadline = block.timestamp + 1 hours;
        _relay(t, op, deadline, _signFor(opKey, t, deadline));
        _assertBalances(B, 0, 0, 0, 40);
        vm.prank(signer);
        ledger.setOperator(op, false);
        ISovrLedger.Transfer memory t2 = _tx(2, S, B, 40);
        bytes memory sig2 = _signFor(opKey, t2, deadline);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.NotAuthorized.selector, uint128(2)));
        _relay(t2, op, deadline, sig2);
    }

    function test_relay_linkedFlagIsAnOpenChain() public {
        ISovrLedger.Transfer memory t = _txFlags(1, S, B, 1, LINKED);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _signFor(signerKey, t, deadline);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.LinkedEventChainOpen.selector, uint128(1)));
        _relay(t, signer, deadline, sig);
    }

    /// @dev Any change to any signed field invalidates the signature.
    function testFuzz_relay_tamperedFieldFails(uint8 field, uint256 delta) public {
        ISovrLedger.Transfer memory t = _tx(1, S, B, 10);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _signFor(signerKey, t, deadline);
        field = field % 10;
        delta = bound(delta, 1, type(uint16).max);
        if (field == 0) t.id += uint128(delta);
        else if (field == 1) t.debitAccountId += uint128(delta);
        else if (field == 2) t.creditAccountId += uint128(delta);
        else if (field == 3) t.amount += uint128(delta);
        else if (field == 4) t.pendingId += uint128(delta);
        else if (field == 5) t.userData = bytes32(delta);
        else if (field == 6) t.timeout += uint32(delta);
        else if (field == 7) t.ledger += uint32(delta);
        else if (field == 8) t.code = uint16(t.code + delta);
        else t.flags = uint16(delta);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.InvalidSignature.selector, signer));
        _relay(t, signer, deadline, sig);
    }
}
