// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrCommitments} from "./interfaces/ISovrCommitments.sol";
import {ISovrLedger} from "./interfaces/ISovrLedger.sol";
import {SovrCodes} from "./libraries/SovrCodes.sol";

/// @title SovrCommitments: an amount committed to a payee and paid milestone by milestone
/// @notice The payer's primary SOVR account reserves the whole commitment at creation, one ledger pending transfer
/// per milestone with the deadline as its timeout. Approving a milestone posts its reservation in full; cancelling
/// voids every reservation still pending; after the deadline the ledger lets anyone release the rest. The payer
/// alone cannot take a reservation back: the ledger resolves a settler's reservation only through a settler, and
/// here only the payee or the arbiter cancels. What a milestone was for lives in the creation event.
/// @dev The ledger grants this contract SETTLER_ROLE. Reservation ids are in the ledger's reserved range (bit 127)
/// with bit 124 set, over the commitment id, the milestone index and what the transfer does (reserve, post, void),
/// so each milestone is reserved, posted and voided at most once.
contract SovrCommitments is ISovrCommitments {
    /// @notice Most milestones in one commitment.
    uint256 public constant MAX_MILESTONES = 20;
    /// @notice Longest milestone description, in bytes.
    uint256 public constant MAX_DESCRIPTION_LENGTH = 120;
    /// @notice Longest time from creation to the deadline, in seconds (ten years; a ledger timeout is 32 bits).
    uint256 public constant MAX_DURATION = 3650 days;

    /// @dev The ledger's reserved range (bit 127) and this contract's part of it (bit 124).
    uint128 internal constant MILESTONE_ID_PREFIX = (uint128(1) << 127) | (uint128(1) << 124);
    uint8 internal constant COMMITMENT_ID_SHIFT = 16;
    uint8 internal constant MILESTONE_INDEX_SHIFT = 8;
    /// @dev The low byte of a milestone's transfer ids: the reservation, its post and its void.
    uint128 internal constant RESERVE = 0;
    uint128 internal constant POST = 1;
    uint128 internal constant VOID = 2;
    /// @dev The primary account id of an address: the address below the reserved bit.
    uint128 internal constant PRIMARY_ACCOUNT_BIT = uint128(1) << 127;
    /// @dev Largest total: an account balance's range (96 bits).
    uint256 internal constant LARGEST_TOTAL = type(uint96).max;
    /// @dev A post of this amount posts the whole reservation.
    uint128 internal constant WHOLE_AMOUNT = type(uint128).max;

    /// @notice The ledger the commitments are reserved on.
    ISovrLedger public immutable ledger;
    /// @notice How many commitments were made; ids run from 1 to this number.
    uint64 public commitmentCount;

    /// @notice A commitment as stored: payer, deadline, milestone count and whether it was cancelled in the first
    /// word (what an approval reads), then the accounts' side and the arbiter.
    struct CommitmentRecord {
        address payer;
        uint40 deadline;
        uint8 milestoneCount;
        bool cancelled;
        uint128 payeeAccountId;
        uint128 total;
        address arbiter;
    }

    mapping(uint64 id => CommitmentRecord) internal _commitments;

    /// @param ledger_ The ledger, which must grant this contract SETTLER_ROLE before anything can be reserved.
    constructor(ISovrLedger ledger_) {
        ledger = ledger_;
    }

    /// @inheritdoc ISovrCommitments
    /// @param payeeAccountId The SOVR account the milestones pay into (not the caller's own).
    /// @param arbiter Who may also approve and cancel (zero: nobody); neither the payer nor the payee.
    /// @param deadline When what is still reserved may be released, at most `MAX_DURATION` from now.
    /// @param milestones 1 to `MAX_MILESTONES` shares, each with a description.
    function createCommitment(
        uint128 payeeAccountId,
        address arbiter,
        uint40 deadline,
        Milestone[] calldata milestones
    ) external returns (uint64 id) {
        uint256 count = milestones.length;
        if (count == 0 || count > MAX_MILESTONES) revert MilestoneCountInvalid(count);
        uint256 total;
        for (uint256 i; i < count; ++i) {
            if (milestones[i].amount == 0) revert MilestoneAmountZero(i);
            uint256 length = bytes(milestones[i].description).length;
            if (length == 0 || length > MAX_DESCRIPTION_LENGTH) revert MilestoneDescriptionInvalid(i, length);
            total += milestones[i].amount;
        }
        if (total > LARGEST_TOTAL) revert CommitmentTooLarge(total);
        if (deadline <= block.timestamp || deadline - block.timestamp > MAX_DURATION) {
            revert DeadlineOutOfRange(deadline);
        }
        ISovrLedger.Account memory payee = ledger.getAccount(payeeAccountId);
        if (payee.ledger != SovrCodes.LEDGER_USD) revert PayeeAccountNotSovr(payeeAccountId);
        if (payee.owner == msg.sender) revert PayerIsPayee(msg.sender);
        if (arbiter == msg.sender || arbiter == payee.owner) revert ArbiterInvalid(arbiter);

        id = commitmentCount + 1;
        commitmentCount = id;
        _commitments[id] = CommitmentRecord({
            payer: msg.sender,
            deadline: deadline,
            milestoneCount: uint8(count),
            cancelled: false,
            payeeAccountId: payeeAccountId,
            total: uint128(total),
            arbiter: arbiter
        });
        emit CommitmentCreated(id, msg.sender, payeeAccountId, arbiter, deadline, uint128(total), milestones);

        // ---- interactions: each reservation with the payer's own authority; any refusal undoes them all.
        uint128 payerAccountId = ledger.openPrimaryAccount(msg.sender);
        ISovrLedger.Transfer memory reservation;
        reservation.debitAccountId = payerAccountId;
        reservation.creditAccountId = payeeAccountId;
        reservation.userData = bytes32(uint256(id));
        reservation.timeout = uint32(deadline - block.timestamp);
        reservation.ledger = SovrCodes.LEDGER_USD;
        reservation.code = SovrCodes.TRANSFER_COMMITMENT;
        reservation.flags = uint16(SovrCodes.PENDING);
        for (uint256 i; i < count; ++i) {
            reservation.id = _transferId(id, i, RESERVE);
            reservation.amount = milestones[i].amount;
            ledger.createTransferFor(msg.sender, reservation);
        }
    }

    /// @inheritdoc ISovrCommitments
    /// @param id The commitment.
    /// @param index The milestone, from 0.
    function approveMilestone(uint64 id, uint8 index) external {
        CommitmentRecord storage commitment = _commitments[id];
        address payer = commitment.payer;
        if (payer == address(0)) revert CommitmentNotFound(id);
        if (commitment.cancelled) revert CommitmentIsCancelled(id);
        if (index >= commitment.milestoneCount) revert MilestoneNotFound(id, index);
        if (msg.sender != payer && msg.sender != commitment.arbiter && !ledger.isOperator(payer, msg.sender)) {
            revert NotPayerOrArbiter(id, msg.sender);
        }
        uint128 reservation = _transferId(id, index, RESERVE);
        ISovrLedger.PendingStatus status = ledger.getTransfer(reservation).status;
        if (status != ISovrLedger.PendingStatus.Pending) revert MilestoneNotPending(id, index, status);
        emit MilestoneApproved(id, index, msg.sender);

        // ---- interaction: past the deadline the ledger refuses the post (`PendingTransferExpired`).
        ISovrLedger.Transfer memory post;
        post.id = _transferId(id, index, POST);
        post.pendingId = reservation;
        post.amount = WHOLE_AMOUNT;
        post.flags = uint16(SovrCodes.POST_PENDING_TRANSFER);
        ledger.createTransferFor(payer, post);
    }

    /// @inheritdoc ISovrCommitments
    /// @param id The commitment.
    function cancelCommitment(uint64 id) external {
        CommitmentRecord storage commitment = _commitments[id];
        address payer = commitment.payer;
        if (payer == address(0)) revert CommitmentNotFound(id);
        if (commitment.cancelled) revert CommitmentIsCancelled(id);
        uint128 payeeAccountId = commitment.payeeAccountId;
        if (msg.sender != commitment.arbiter) {
            address payee = ledger.accountOwner(payeeAccountId);
            if (msg.sender != payee && !ledger.isOperator(payee, msg.sender)) revert NotPayeeOrArbiter(id, msg.sender);
        }
        commitment.cancelled = true;

        // ---- interaction: every milestone's void in one batch; those already resolved are refused and skipped.
        uint256 count = commitment.milestoneCount;
        ISovrLedger.Transfer[] memory voids = new ISovrLedger.Transfer[](count);
        address[] memory authorities = new address[](count);
        for (uint256 i; i < count; ++i) {
            voids[i].id = _transferId(id, i, VOID);
            voids[i].pendingId = _transferId(id, i, RESERVE);
            voids[i].flags = uint16(SovrCodes.VOID_PENDING_TRANSFER);
            authorities[i] = payer;
        }
        ISovrLedger.TransferResult[] memory results = ledger.createTransfersFor(authorities, voids);
        uint8 voided;
        for (uint256 i; i < count; ++i) {
            if (results[i] == ISovrLedger.TransferResult.Ok) ++voided;
        }
        emit CommitmentCancelled(id, msg.sender, voided);
    }

    /// @inheritdoc ISovrCommitments
    /// @param id The commitment.
    function getCommitment(uint64 id) external view returns (Commitment memory) {
        CommitmentRecord storage commitment = _commitments[id];
        address payer = commitment.payer;
        if (payer == address(0)) revert CommitmentNotFound(id);
        return Commitment({
            payer: payer,
            payerAccountId: PRIMARY_ACCOUNT_BIT | uint128(uint160(payer)),
            payeeAccountId: commitment.payeeAccountId,
            arbiter: commitment.arbiter,
            deadline: commitment.deadline,
            milestoneCount: commitment.milestoneCount,
            total: commitment.total,
            cancelled: commitment.cancelled
        });
    }

    /// @inheritdoc ISovrCommitments
    /// @param id The commitment.
    /// @param index The milestone, from 0.
    function milestoneStatus(uint64 id, uint8 index) external view returns (ISovrLedger.PendingStatus) {
        CommitmentRecord storage commitment = _commitments[id];
        if (commitment.payer == address(0)) revert CommitmentNotFound(id);
        if (index >= commitment.milestoneCount) revert MilestoneNotFound(id, index);
        return ledger.getTransfer(_transferId(id, index, RESERVE)).status;
    }

    /// @inheritdoc ISovrCommitments
    /// @param id The commitment.
    /// @param index The milestone, from 0.
    function milestoneTransferId(uint64 id, uint8 index) external pure returns (uint128) {
        return _transferId(id, index, RESERVE);
    }

    /// @dev A milestone's transfer id: the reservation, its post or its void.
    function _transferId(uint64 id, uint256 index, uint128 step) internal pure returns (uint128) {
        return MILESTONE_ID_PREFIX | (uint128(id) << COMMITMENT_ID_SHIFT) | (uint128(index) << MILESTONE_INDEX_SHIFT)
            | step;
    }
}
