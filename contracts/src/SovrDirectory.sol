// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

import {ISovrDirectory} from "./interfaces/ISovrDirectory.sol";

/// @title SovrDirectory: the owner's labels for addresses
/// @notice The owner names an address once ("Acme Ltd", "landlord") and every device of the owner,
/// the indexer and the guardian read the same name. Labels are public, like everything on-chain:
/// they name, they never authorise anything.
contract SovrDirectory is ISovrDirectory, AccessControlDefaultAdminRules {
    /// @notice Longest label, in bytes.
    uint256 public constant MAX_LABEL_LENGTH = 64;

    mapping(address subject => string label) internal _labels;

    /// @param owner Holder of DEFAULT_ADMIN_ROLE: the only one who labels.
    /// @param adminTransferDelay Delay of a transfer of the admin role (OpenZeppelin's default admin rules).
    constructor(address owner, uint48 adminTransferDelay) AccessControlDefaultAdminRules(adminTransferDelay, owner) {}

    /// @inheritdoc ISovrDirectory
    /// @param subject Any address but zero.
    /// @param label 0 to `MAX_LABEL_LENGTH` bytes; empty removes the label.
    function setLabel(address subject, string calldata label) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (subject == address(0)) revert ZeroSubject();
        if (bytes(label).length > MAX_LABEL_LENGTH) revert LabelTooLong(bytes(label).length);
        if (bytes(label).length == 0) delete _labels[subject];
        else _labels[subject] = label;
        emit LabelSet(subject, label, msg.sender);
    }

    /// @inheritdoc ISovrDirectory
    /// @param subject The address.
    function labelOf(address subject) external view returns (string memory) {
        return _labels[subject];
    }
}
