// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-std resolves through remappings.txt, which solhint does not read.
// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {ISovrDirectory} from "../src/interfaces/ISovrDirectory.sol";
import {SovrDirectory} from "../src/SovrDirectory.sol";

/// @notice Unit and fuzz tests of SovrDirectory: every function, event and custom error.
contract SovrDirectoryTest is Test {
    SovrDirectory internal directory;
    address internal owner = makeAddr("owner");
    address internal client = makeAddr("client");

    function setUp() public {
        directory = new SovrDirectory(owner, 0);
    }

    function test_SetLabel_NamesChangesAndRemoves() public {
        vm.expectEmit(address(directory));
        emit ISovrDirectory.LabelSet(client, "Acme Ltd", owner);
        vm.prank(owner);
        directory.setLabel(client, "Acme Ltd");
        assertEq(directory.labelOf(client), "Acme Ltd");

        vm.prank(owner);
        directory.setLabel(client, "Acme Holdings");
        assertEq(directory.labelOf(client), "Acme Holdings");

        vm.expectEmit(address(directory));
        emit ISovrDirectory.LabelSet(client, "", owner);
        vm.prank(owner);
        directory.setLabel(client, "");
        assertEq(directory.labelOf(client), "");
    }

    function test_SetLabel_OnlyTheOwner() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, client, bytes32(0))
        );
        vm.prank(client);
        directory.setLabel(client, "me, trust me");
        assertEq(directory.labelOf(client), "");
    }

    function test_SetLabel_RefusesTheZeroAddressAndLongLabels() public {
        vm.startPrank(owner);
        vm.expectRevert(ISovrDirectory.ZeroSubject.selector);
        directory.setLabel(address(0), "nobody");
        directory.setLabel(client, string(new bytes(64)));
        vm.expectRevert(abi.encodeWithSelector(ISovrDirectory.LabelTooLong.selector, 65));
        directory.setLabel(client, string(new bytes(65)));
        vm.stopPrank();
        assertEq(bytes(directory.labelOf(client)).length, 64);
    }

    function testFuzz_SetLabel_ReadsBackWhatFits(address subject, bytes calldata label) public {
        vm.assume(subject != address(0));
        uint256 max = directory.MAX_LABEL_LENGTH();
        vm.prank(owner);
        if (label.length > max) {
            vm.expectRevert(abi.encodeWithSelector(ISovrDirectory.LabelTooLong.selector, label.length));
            directory.setLabel(subject, string(label));
            assertEq(directory.labelOf(subject), "");
        } else {
            directory.setLabel(subject, string(label));
            assertEq(directory.labelOf(subject), string(label));
        }
    }

    function testFuzz_SetLabel_NobodyButTheOwner(address caller, address subject) public {
        vm.assume(caller != owner && subject != address(0));
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, bytes32(0))
        );
        vm.prank(caller);
        directory.setLabel(subject, "label");
    }
}

/// @notice Drives SovrDirectory with random labels from the owner and strangers, keeping a model.
contract DirectoryHandler is Test {
    SovrDirectory internal immutable directory;
    address internal immutable owner;
    address[4] internal subjects;
    mapping(address subject => string label) public model;
    uint256 public strangerSuccesses;

    constructor(SovrDirectory directory_, address owner_) {
        directory = directory_;
        owner = owner_;
        subjects = [makeAddr("a"), makeAddr("b"), makeAddr("c"), makeAddr("d")];
    }

    function subjectAt(uint256 index) external view returns (address) {
        return subjects[index];
    }

    function setLabel(uint256 subjectSeed, uint256 length, bool asOwner) external {
        address subject = subjects[subjectSeed % subjects.length];
        bytes memory label = new bytes(length % 80);
        for (uint256 i; i < label.length; ++i) {
            label[i] = bytes1(uint8(97 + (subjectSeed + i) % 26));
        }
        vm.prank(asOwner ? owner : makeAddr("stranger"));
        try directory.setLabel(subject, string(label)) {
            if (!asOwner) strangerSuccesses++;
            model[subject] = string(label);
        } catch {}
    }
}

/// @notice Invariants of SovrDirectory: a label is what the owner last set, and nobody else sets one.
contract SovrDirectoryInvariantTest is Test {
    SovrDirectory internal directory;
    DirectoryHandler internal handler;

    function setUp() public {
        address owner = makeAddr("owner");
        directory = new SovrDirectory(owner, 0);
        handler = new DirectoryHandler(directory, owner);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](1);
        selectors[0] = DirectoryHandler.setLabel.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice Every label reads back as the owner last set it (or empty); none is longer than allowed.
    function invariant_LabelsAreTheOwnersLastWord() public view {
        for (uint256 i; i < 4; ++i) {
            address subject = handler.subjectAt(i);
            assertEq(directory.labelOf(subject), handler.model(subject));
            assertLe(bytes(directory.labelOf(subject)).length, directory.MAX_LABEL_LENGTH());
        }
    }

    /// @notice No call by anyone but the owner ever set a label.
    function invariant_OnlyTheOwnerLabels() public view {
        assertEq(handler.strangerSuccesses(), 0);
    }
}
