// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Events, errors and functions of the SOVR directory
/// @notice The owner's address book on-chain: a label per address (a counterparty, a client, a
/// supplier), given once and read by every device and service of the owner.
interface ISovrDirectory {
    /// @notice Emitted when the owner labelled an address; an empty label removed its label.
    event LabelSet(address indexed subject, string label, address indexed by);

    /// @notice Thrown when a label is longer than `MAX_LABEL_LENGTH` bytes.
    error LabelTooLong(uint256 length);
    /// @notice Thrown when the zero address is labelled.
    error ZeroSubject();

    /// @notice Labels `subject` (owner only); an empty label removes its label.
    function setLabel(address subject, string calldata label) external;

    /// @notice The label of `subject`, empty when it has none.
    function labelOf(address subject) external view returns (string memory);
}
