// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrLedger} from "./ISovrLedger.sol";

/// @title Types, events, errors and functions of SovrCommitments: amounts committed milestone by milestone
/// @notice A payer commits an amount to a payee, split into milestones. The whole amount is reserved at once on
/// the ledger, one pending transfer per milestone, until a deadline. Approving a milestone (the payer, or the
/// arbiter named at creation) posts its share to the payee; cancelling (the payee, or the arbiter) voids what is
/// still reserved; at the deadline the ledger lets anyone release what remains (the keeper does).
interface ISovrCommitments {
    /// @notice One milestone: its share of the commitment and what it is for (kept in the event only).
    struct Milestone {
        uint128 amount;
        string description;
    }

    /// @notice A commitment as stored, as `getCommitment` returns it. Each milestone's state is its pending
    /// transfer's on the ledger (`milestoneStatus`).
    struct Commitment {
        address payer;
        /// @dev The payer's primary SOVR account, which the reservations debit.
        uint128 payerAccountId;
        uint128 payeeAccountId;
        /// @dev Who may approve milestones and cancel besides the payer and payee (zero: nobody).
        address arbiter;
        uint40 deadline;
        uint8 milestoneCount;
        uint128 total;
        bool cancelled;
    }

    // ---------------------------------------------------------------- events

    /// @notice Emitted when a payer committed `total` to a payee, reserved as one pending transfer per milestone.
    event CommitmentCreated(
        uint64 indexed id,
        address indexed payer,
        uint128 indexed payeeAccountId,
        address arbiter,
        uint40 deadline,
        uint128 total,
        Milestone[] milestones
    );

    /// @notice Emitted when a milestone was approved and its share posted to the payee.
    event MilestoneApproved(uint64 indexed id, uint8 indexed index, address indexed by);

    /// @notice Emitted when a commitment was cancelled: `voided` milestones still reserved were released.
    event CommitmentCancelled(uint64 indexed id, address indexed by, uint8 voided);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when a commitment does not exist.
    error CommitmentNotFound(uint64 id);
    /// @notice Thrown when a commitment has no milestones, or more than `MAX_MILESTONES`.
    error MilestoneCountInvalid(uint256 count);
    /// @notice Thrown when a milestone's amount is zero.
    error MilestoneAmountZero(uint256 index);
    /// @notice Thrown when a milestone's description is empty or longer than `MAX_DESCRIPTION_LENGTH` bytes.
    error MilestoneDescriptionInvalid(uint256 index, uint256 length);
    /// @notice Thrown when the milestones add up to more than an account balance holds (96 bits).
    error CommitmentTooLarge(uint256 total);
    /// @notice Thrown when the deadline is not in the future, or more than `MAX_DURATION` away.
    error DeadlineOutOfRange(uint40 deadline);
    /// @notice Thrown when the arbiter is the payer or the payee.
    error ArbiterInvalid(address arbiter);
    /// @notice Thrown when the payee account is not on the SOVR ledger (840).
    error PayeeAccountNotSovr(uint128 accountId);
    /// @notice Thrown when the payer would commit to itself.
    error PayerIsPayee(address payer);
    /// @notice Thrown when someone other than the payer (or its operator) or the arbiter approves a milestone.
    error NotPayerOrArbiter(uint64 id, address caller);
    /// @notice Thrown when someone other than the payee (or its operator) or the arbiter cancels.
    error NotPayeeOrArbiter(uint64 id, address caller);
    /// @notice Thrown when a milestone index is beyond the commitment's milestones.
    error MilestoneNotFound(uint64 id, uint8 index);
    /// @notice Thrown when approving a milestone of, or cancelling, a cancelled commitment.
    error CommitmentIsCancelled(uint64 id);
    /// @notice Thrown when approving a milestone that is no longer reserved (already approved, voided or released).
    error MilestoneNotPending(uint64 id, uint8 index, ISovrLedger.PendingStatus status);

    // ---------------------------------------------------------------- functions

    /// @notice Commits the caller's primary SOVR account to `payeeAccountId`: every milestone is reserved now, until
    /// `deadline`; returns the commitment's id. Reverts with the ledger's error if the reservation is refused.
    function createCommitment(
        uint128 payeeAccountId,
        address arbiter,
        uint40 deadline,
        Milestone[] calldata milestones
    ) external returns (uint64 id);

    /// @notice Approves a milestone (the payer, its operator, or the arbiter): its share is posted to the payee.
    /// Reverts when the milestone is no longer reserved, and with the ledger's `PendingTransferExpired` after the
    /// deadline.
    function approveMilestone(uint64 id, uint8 index) external;

    /// @notice Cancels a commitment (the payee, its operator, or the arbiter): every milestone still reserved is
    /// voided back to the payer; approved ones stay paid.
    function cancelCommitment(uint64 id) external;

    /// @notice Returns a commitment; reverts with `CommitmentNotFound` if it does not exist.
    function getCommitment(uint64 id) external view returns (Commitment memory);

    /// @notice Returns a milestone's state: its pending transfer's (`Pending`, `Posted`, `Voided`, `Expired`).
    function milestoneStatus(uint64 id, uint8 index) external view returns (ISovrLedger.PendingStatus);

    /// @notice Returns the ledger id of a milestone's reservation: reserved range, bit 124, commitment, index.
    function milestoneTransferId(uint64 id, uint8 index) external pure returns (uint128);

    /// @notice Returns how many commitments were made; ids run from 1 to this number.
    function commitmentCount() external view returns (uint64);

    /// @notice Returns the ledger the commitments are reserved on.
    function ledger() external view returns (ISovrLedger);
}
