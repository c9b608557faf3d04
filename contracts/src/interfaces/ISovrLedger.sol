// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Types, events and errors of the SOVR double-entry ledger
/// @notice Mirrors TigerBeetle's account and transfer model: ids, flags, result names and
/// their precedence follow TigerBeetle 0.16; additions for an on-chain ledger (authority,
/// pause, freeze, credit lines, reserved ids) are marked as such.
interface ISovrLedger {
    /// @notice A transfer as submitted. `timestamp` is not part of the input: the block time is used.
    struct Transfer {
        uint128 id;
        uint128 debitAccountId;
        uint128 creditAccountId;
        uint128 amount;
        uint128 pendingId;
        bytes32 userData;
        uint32 timeout;
        uint32 ledger;
        uint16 code;
        uint16 flags;
    }

    /// @notice An account with its four balances, as returned by `getAccount`.
    struct Account {
        uint128 id;
        address owner;
        uint32 ledger;
        uint16 code;
        uint16 flags;
        uint128 debitsPending;
        uint128 debitsPosted;
        uint128 creditsPending;
        uint128 creditsPosted;
        uint64 timestamp;
    }

    /// @notice A stored transfer, as returned by `getTransfer`. The ledger keeps one storage word
    /// per transfer: `userDataTag` is a 64-bit fingerprint of `userData` for ordinary transfers
    /// (the full value is in the `TransferCreated` event) and zero for two-phase records.
    struct StoredTransfer {
        uint128 id;
        uint128 debitAccountId;
        uint128 creditAccountId;
        uint128 amount;
        uint32 timeout;
        uint16 code;
        uint16 flags;
        PendingStatus status;
        uint64 timestamp;
        uint64 userDataTag;
    }

    /// @notice A credit line granted to an account: its debits may exceed its credits by `limit`.
    struct CreditLine {
        uint128 limit;
        uint64 expiresAt;
        bool frozen;
    }

    /// @notice Lifecycle of a pending (two-phase) transfer. `None` for every other transfer.
    enum PendingStatus {
        None,
        Pending,
        Posted,
        Voided,
        Expired
    }

    /// @notice Per-transfer outcome of `createTransfers`, in TigerBeetle's order of precedence
    /// (highest first). Values are this enum's ordinals, not TigerBeetle's wire numbers.
    enum TransferResult {
        Ok,
        LinkedEventFailed,
        LinkedEventChainOpen,
        ReservedFlag,
        IdMustNotBeZero,
        IdMustNotBeIntMax,
        /// @dev Addition: ids with the top bit set are minted by the ledger itself (ERC-20 view) or a settler.
        IdReserved,
        ExistsWithDifferentFlags,
        ExistsWithDifferentPendingId,
        ExistsWithDifferentTimeout,
        ExistsWithDifferentDebitAccountId,
        ExistsWithDifferentCreditAccountId,
        ExistsWithDifferentAmount,
        ExistsWithDifferentUserData,
        ExistsWithDifferentLedger,
        ExistsWithDifferentCode,
        Exists,
        /// @dev Addition: the ledger is paused (only voids pass).
        LedgerPaused,
        FlagsAreMutuallyExclusive,
        DebitAccountIdMustNotBeZero,
        DebitAccountIdMustNotBeIntMax,
        CreditAccountIdMustNotBeZero,
        CreditAccountIdMustNotBeIntMax,
        AccountsMustBeDifferent,
        PendingIdMustBeZero,
        PendingIdMustNotBeZero,
        PendingIdMustNotBeIntMax,
        PendingIdMustBeDifferent,
        TimeoutReservedForPendingTransfer,
        ClosingTransferMustBePending,
        LedgerMustNotBeZero,
        CodeMustNotBeZero,
        DebitAccountNotFound,
        CreditAccountNotFound,
        AccountsMustHaveTheSameLedger,
        TransferMustHaveTheSameLedgerAsAccounts,
        PendingTransferNotFound,
        PendingTransferNotPending,
        PendingTransferHasDifferentDebitAccountId,
        PendingTransferHasDifferentCreditAccountId,
        PendingTransferHasDifferentLedger,
        PendingTransferHasDifferentCode,
        ExceedsPendingTransferAmount,
        PendingTransferHasDifferentAmount,
        PendingTransferAlreadyPosted,
        PendingTransferAlreadyVoided,
        PendingTransferExpired,
        /// @dev Addition: the caller (or signer) is not the debit account's owner or its operator.
        NotAuthorized,
        DebitAccountAlreadyClosed,
        CreditAccountAlreadyClosed,
        /// @dev Addition: frozen accounts accept only voids.
        DebitAccountFrozen,
        CreditAccountFrozen,
        OverflowsDebitsPending,
        OverflowsCreditsPending,
        OverflowsDebitsPosted,
        OverflowsCreditsPosted,
        OverflowsDebits,
        OverflowsCredits,
        OverflowsTimeout,
        /// @dev Addition: the debit needs the account's credit line, which has expired.
        CreditLineExpired,
        /// @dev Addition: the debit needs the account's credit line, which is frozen.
        CreditLineFrozen,
        ExceedsCredits,
        ExceedsDebits
    }

    // ---------------------------------------------------------------- events

    /// @notice Emitted when an account was created.
    event AccountCreated(
        uint128 indexed id, address indexed owner, uint32 indexed ledger, uint16 code, uint16 flags
    );

    /// @notice Emitted when a transfer was applied, including posts and voids of pending transfers.
    /// For posts and voids, the accounts, ledger and code are the pending transfer's and `amount`
    /// is the amount actually posted (or the voided amount).
    /// @param details The transfer's small fields in one word (one log word costs 256 gas per transfer):
    /// flags (bits 0-15) | code (16-31) | ledger (32-63) | timeout (64-95).
    event TransferCreated(
        uint128 indexed id,
        uint128 indexed debitAccountId,
        uint128 indexed creditAccountId,
        uint128 amount,
        uint128 pendingId,
        bytes32 userData,
        uint96 details
    );

    /// @notice Emitted when a batch member was not applied, with its index in the batch and why.
    event TransferRejected(uint128 indexed id, uint256 index, TransferResult result);

    /// @notice Emitted when a pending transfer expired and its reservation was released.
    event PendingTransferReleased(
        uint128 indexed pendingId, uint128 indexed debitAccountId, uint128 indexed creditAccountId, uint128 amount
    );

    /// @notice Emitted when an owner approved or revoked an operator for all of its accounts.
    event OperatorSet(address indexed owner, address indexed operator, bool approved);

    /// @notice Emitted when an account was frozen.
    event AccountFrozen(uint128 indexed id, address indexed by);

    /// @notice Emitted when an account was unfrozen.
    event AccountUnfrozen(uint128 indexed id, address indexed by);

    /// @notice Emitted when an account's credit line was granted, changed or removed (limit 0).
    event CreditLineSet(uint128 indexed accountId, uint128 limit, uint64 expiresAt);

    /// @notice Emitted when an account's credit line was frozen or unfrozen.
    event CreditLineFrozenSet(uint128 indexed accountId, bool frozen);

    /// @notice Emitted when the account whose net debit is the token's total supply was set.
    event SupplyAccountSet(uint128 indexed accountId);

    /// @notice Emitted when the ledger was paused by `account` (OpenZeppelin `Pausable`'s event).
    event Paused(address account);

    /// @notice Emitted when the ledger was resumed by `account` (OpenZeppelin `Pausable`'s event).
    event Unpaused(address account);

    // ---------------------------------------------------------------- account errors

    /// @notice Thrown when account flags use a bit that callers may not set.
    error AccountReservedFlag(uint16 flags);
    /// @notice Thrown when an account id is zero.
    error AccountIdMustNotBeZero();
    /// @notice Thrown when an account id is 2^128-1.
    error AccountIdMustNotBeIntMax();
    /// @notice Thrown when an account id has the top bit set (reserved for primary accounts).
    error AccountIdReserved(uint128 id);
    /// @notice Thrown when an account with this id already exists.
    error AccountExists(uint128 id);
    /// @notice Thrown when both balance constraints are requested on one account.
    error AccountFlagsAreMutuallyExclusive();
    /// @notice Thrown when an account's ledger is zero.
    error AccountLedgerMustNotBeZero();
    /// @notice Thrown when an account's code is zero.
    error AccountCodeMustNotBeZero();
    /// @notice Thrown when a caller without TREASURY_ROLE asks for an account whose debits are unbounded.
    error UnboundedAccountNotAllowed();
    /// @notice Thrown when all 2^24-1 account slots (24-bit account index) are used.
    error AccountIndexExhausted();
    /// @notice Thrown when an account does not exist.
    error AccountNotFound(uint128 id);
    /// @notice Thrown when an account is already frozen (or not frozen, when unfreezing).
    error AccountFrozenStateUnchanged(uint128 id);
    /// @notice Thrown when a credit line is set on an account whose debits are not bounded by its credits.
    error CreditLineRequiresDebitLimit(uint128 accountId);
    /// @notice Thrown when a credit line expiry is in the past.
    error CreditLineExpiryInPast(uint64 expiresAt);
    /// @notice Thrown when a credit line limit does not fit the 96-bit balance range.
    error CreditLineLimitTooLarge(uint128 limit);
    /// @notice Thrown when freezing a credit line that does not exist.
    error CreditLineNotFound(uint128 accountId);
    /// @notice Thrown when an operator approval names the caller itself or the zero address.
    error InvalidOperator(address operator);

    // ---------------------------------------------------------------- transfer errors
    // `createTransfer` reverts with the error that matches the batch result code.

    /// @notice Thrown when a linked transfer failed because another member of its chain failed.
    error LinkedEventFailed(uint128 transferId);
    /// @notice Thrown when the last transfer of a batch carries the LINKED flag.
    error LinkedEventChainOpen(uint128 transferId);
    /// @notice Thrown when transfer flags use a reserved bit.
    error ReservedFlag(uint128 transferId);
    /// @notice Thrown when a transfer id is zero.
    error IdMustNotBeZero(uint128 transferId);
    /// @notice Thrown when a transfer id is 2^128-1.
    error IdMustNotBeIntMax(uint128 transferId);
    /// @notice Thrown when a transfer id has the top bit set (reserved for the ERC-20 view).
    error IdReserved(uint128 transferId);
    /// @notice Thrown when a transfer with this id exists with other flags.
    error ExistsWithDifferentFlags(uint128 transferId);
    /// @notice Thrown when a transfer with this id exists with another pending id.
    error ExistsWithDifferentPendingId(uint128 transferId);
    /// @notice Thrown when a transfer with this id exists with another timeout.
    error ExistsWithDifferentTimeout(uint128 transferId);
    /// @notice Thrown when a transfer with this id exists with another debit account.
    error ExistsWithDifferentDebitAccountId(uint128 transferId);
    /// @notice Thrown when a transfer with this id exists with another credit account.
    error ExistsWithDifferentCreditAccountId(uint128 transferId);
    /// @notice Thrown when a transfer with this id exists with another amount.
    error ExistsWithDifferentAmount(uint128 transferId);
    /// @notice Thrown when a transfer with this id exists with other user data.
    error ExistsWithDifferentUserData(uint128 transferId);
    /// @notice Thrown when a transfer with this id exists on another ledger.
    error ExistsWithDifferentLedger(uint128 transferId);
    /// @notice Thrown when a transfer with this id exists with another code.
    error ExistsWithDifferentCode(uint128 transferId);
    /// @notice Thrown when the very same transfer was already applied.
    error Exists(uint128 transferId);
    /// @notice Thrown when the ledger is paused and the transfer is not a void.
    error LedgerPaused(uint128 transferId);
    /// @notice Thrown when a transfer combines flags that exclude each other.
    error FlagsAreMutuallyExclusive(uint128 transferId);
    /// @notice Thrown when the debit account id is zero.
    error DebitAccountIdMustNotBeZero(uint128 transferId);
    /// @notice Thrown when the debit account id is 2^128-1.
    error DebitAccountIdMustNotBeIntMax(uint128 transferId);
    /// @notice Thrown when the credit account id is zero.
    error CreditAccountIdMustNotBeZero(uint128 transferId);
    /// @notice Thrown when the credit account id is 2^128-1.
    error CreditAccountIdMustNotBeIntMax(uint128 transferId);
    /// @notice Thrown when debit and credit account are the same.
    error AccountsMustBeDifferent(uint128 transferId);
    /// @notice Thrown when a transfer that is not a post or void names a pending id.
    error PendingIdMustBeZero(uint128 transferId);
    /// @notice Thrown when a post or void names no pending id.
    error PendingIdMustNotBeZero(uint128 transferId);
    /// @notice Thrown when a post or void names pending id 2^128-1.
    error PendingIdMustNotBeIntMax(uint128 transferId);
    /// @notice Thrown when a post or void names itself as the pending transfer.
    error PendingIdMustBeDifferent(uint128 transferId);
    /// @notice Thrown when a transfer that is not pending has a timeout.
    error TimeoutReservedForPendingTransfer(uint128 transferId);
    /// @notice Thrown when a closing transfer is not pending.
    error ClosingTransferMustBePending(uint128 transferId);
    /// @notice Thrown when the transfer's ledger is zero.
    error LedgerMustNotBeZero(uint128 transferId);
    /// @notice Thrown when the transfer's code is zero.
    error CodeMustNotBeZero(uint128 transferId);
    /// @notice Thrown when the debit account does not exist.
    error DebitAccountNotFound(uint128 transferId);
    /// @notice Thrown when the credit account does not exist.
    error CreditAccountNotFound(uint128 transferId);
    /// @notice Thrown when the two accounts are on different ledgers.
    error AccountsMustHaveTheSameLedger(uint128 transferId);
    /// @notice Thrown when the transfer's ledger differs from its accounts' ledger.
    error TransferMustHaveTheSameLedgerAsAccounts(uint128 transferId);
    /// @notice Thrown when the pending transfer to post or void does not exist.
    error PendingTransferNotFound(uint128 transferId);
    /// @notice Thrown when the transfer to post or void is not a pending transfer.
    error PendingTransferNotPending(uint128 transferId);
    /// @notice Thrown when a post or void names another debit account than its pending transfer.
    error PendingTransferHasDifferentDebitAccountId(uint128 transferId);
    /// @notice Thrown when a post or void names another credit account than its pending transfer.
    error PendingTransferHasDifferentCreditAccountId(uint128 transferId);
    /// @notice Thrown when a post or void names another ledger than its pending transfer.
    error PendingTransferHasDifferentLedger(uint128 transferId);
    /// @notice Thrown when a post or void names another code than its pending transfer.
    error PendingTransferHasDifferentCode(uint128 transferId);
    /// @notice Thrown when a post asks for more than the pending amount.
    error ExceedsPendingTransferAmount(uint128 transferId);
    /// @notice Thrown when a void names an amount other than zero or the pending amount.
    error PendingTransferHasDifferentAmount(uint128 transferId);
    /// @notice Thrown when the pending transfer was already posted.
    error PendingTransferAlreadyPosted(uint128 transferId);
    /// @notice Thrown when the pending transfer was already voided.
    error PendingTransferAlreadyVoided(uint128 transferId);
    /// @notice Thrown when the pending transfer's timeout has passed.
    error PendingTransferExpired(uint128 transferId);
    /// @notice Thrown when the caller or signer may not debit the account (or close it), or resolves a settler's
    /// reservation directly.
    error NotAuthorized(uint128 transferId);
    /// @notice Thrown when the debit account is closed.
    error DebitAccountAlreadyClosed(uint128 transferId);
    /// @notice Thrown when the credit account is closed.
    error CreditAccountAlreadyClosed(uint128 transferId);
    /// @notice Thrown when the debit account is frozen.
    error DebitAccountFrozen(uint128 transferId);
    /// @notice Thrown when the credit account is frozen.
    error CreditAccountFrozen(uint128 transferId);
    /// @notice Thrown when the debit account's pending debits would overflow.
    error OverflowsDebitsPending(uint128 transferId);
    /// @notice Thrown when the credit account's pending credits would overflow.
    error OverflowsCreditsPending(uint128 transferId);
    /// @notice Thrown when the debit account's posted debits would overflow.
    error OverflowsDebitsPosted(uint128 transferId);
    /// @notice Thrown when the credit account's posted credits would overflow.
    error OverflowsCreditsPosted(uint128 transferId);
    /// @notice Thrown when the debit account's total debits would overflow.
    error OverflowsDebits(uint128 transferId);
    /// @notice Thrown when the credit account's total credits would overflow.
    error OverflowsCredits(uint128 transferId);
    /// @notice Thrown when the pending transfer's expiry does not fit the ledger's clock.
    error OverflowsTimeout(uint128 transferId);
    /// @notice Thrown when the debit needs the account's credit line and the line has expired.
    error CreditLineExpired(uint128 transferId);
    /// @notice Thrown when the debit needs the account's credit line and the line is frozen.
    error CreditLineFrozen(uint128 transferId);
    /// @notice Thrown when the debit would exceed the account's credits (plus its credit line).
    error ExceedsCredits(uint128 transferId);
    /// @notice Thrown when the credit would exceed the account's debits.
    error ExceedsDebits(uint128 transferId);

    // ---------------------------------------------------------------- other errors

    /// @notice Thrown when a signed transfer is relayed after its deadline.
    error SignatureExpired(uint256 deadline);
    /// @notice Thrown when a signature does not verify for the named signer.
    error InvalidSignature(address signer);
    /// @notice Thrown when a function reserved for the ledger's own ERC-20 view is called by anyone else.
    error OnlyToken(address caller);
    /// @notice Thrown when a function reserved for the ledger's signed-transfer relay is called by anyone else.
    error OnlyRelay(address caller);
    /// @notice Thrown when a function reserved for the ledger's internal chain execution is called externally.
    error OnlySelf(address caller);
    /// @notice Thrown when expiring a pending transfer whose timeout has not passed (or that never expires).
    error PendingTransferNotExpired(uint128 pendingId);
    /// @notice Thrown when an ERC-20 view amount does not fit in a ledger amount.
    error AmountTooLarge(uint256 amount);
    /// @notice Thrown when a transfer's narrow fields (uint32, uint16) carry bits beyond their width.
    error InvalidTransferEncoding();
    /// @notice Thrown when a batch is empty.
    error EmptyBatch();
    /// @notice Thrown when a settler's batch names a different number of authorities than transfers.
    error BatchLengthMismatch(uint256 authorities, uint256 transfers);
    /// @notice Thrown when pausing a ledger that is paused (OpenZeppelin `Pausable`'s error).
    error EnforcedPause();
    /// @notice Thrown when resuming a ledger that is not paused (OpenZeppelin `Pausable`'s error).
    error ExpectedPause();
    /// @notice Thrown when a linked chain stopped at `offset` with `result` (or ran to the end and was rolled
    /// back): the ledger throws it to itself and `createTransfers` catches it, so callers never see it.
    error ChainBroken(uint256 offset, TransferResult result);

    // ---------------------------------------------------------------- functions

    /// @notice Creates an account owned by the caller.
    function createAccount(uint128 id, uint32 ledger, uint16 code, uint16 flags) external;

    /// @notice Applies one transfer with the caller's authority; reverts with the matching error.
    function createTransfer(Transfer calldata transfer) external;

    /// @notice Applies one transfer with `authority`'s authority (callable by the signed-transfer relay only).
    function createTransferAs(address authority, Transfer calldata transfer) external;

    /// @notice Applies one transfer with `authority`'s authority, checked exactly as a direct call by `authority`
    /// (callable by SETTLER_ROLE only, which passes on the authority the owner gave it); the id may be reserved.
    function createTransferFor(address authority, Transfer calldata transfer) external;

    /// @notice Applies transfers in order, each with its own authority checked exactly as a direct call by it
    /// (callable by SETTLER_ROLE only); ids may be in the reserved range; returns one result per transfer.
    function createTransfersFor(address[] calldata authorities, Transfer[] calldata transfers)
        external
        returns (TransferResult[] memory results);

    /// @notice Applies transfers in order, LINKED chains atomically; returns one result per transfer.
    function createTransfers(Transfer[] calldata transfers) external returns (TransferResult[] memory results);

    /// @notice Runs a linked chain in a sub-call so that a failure anywhere undoes all of it (callable by the
    /// ledger itself only).
    function executeLinkedChain(address authority, Transfer[] calldata chain, bool rollback) external;

    /// @notice Releases a pending transfer whose timeout has passed; anyone may call it, also while paused.
    function expirePendingTransfer(uint128 pendingId) external;

    /// @notice Releases every overdue pending transfer among `pendingIds`, skipping the others.
    function expirePendingTransfers(uint128[] calldata pendingIds) external returns (uint256 expired);

    /// @notice Returns a stored transfer; reverts with `PendingTransferNotFound` if the id is unknown.
    function getTransfer(uint128 id) external view returns (StoredTransfer memory);

    /// @notice Approves or revokes `operator` to debit all of the caller's accounts.
    function setOperator(address operator, bool approved) external;

    /// @notice Freezes an account (FREEZER_ROLE): it then accepts only voids and expiries.
    function freezeAccount(uint128 id) external;

    /// @notice Unfreezes an account (the admin only).
    function unfreezeAccount(uint128 id) external;

    /// @notice Pauses every balance change except voids and expiries (PAUSER_ROLE).
    function pause() external;

    /// @notice Resumes the ledger (the admin only).
    function unpause() external;

    /// @notice Returns whether the ledger is paused.
    function paused() external view returns (bool);

    /// @notice Returns an account; reverts with `AccountNotFound` if it does not exist.
    function getAccount(uint128 id) external view returns (Account memory);

    /// @notice Returns what an account can still spend: credits posted plus its usable credit line minus
    /// debits posted and pending (zero when negative).
    function availableBalance(uint128 id) external view returns (uint256);

    /// @notice Returns the owner of an account (zero if it does not exist).
    function accountOwner(uint128 id) external view returns (address);

    /// @notice Returns whether `operator` may act for all of `owner`'s accounts.
    function isOperator(address owner, address operator) external view returns (bool);

    /// @notice Returns the id of `holder`'s primary account on ledger 840 (it may not exist yet).
    function primaryAccountId(address holder) external pure returns (uint128);

    /// @notice Opens `holder`'s primary SOVR account if it does not exist; returns its id.
    function openPrimaryAccount(address holder) external returns (uint128 id);

    /// @notice Returns an account's credit line (zero limit when it has none).
    function creditLineOf(uint128 accountId) external view returns (CreditLine memory);

    /// @notice Sets an account's credit line; a zero limit removes it.
    function setCreditLine(uint128 accountId, uint128 limit, uint64 expiresAt) external;

    /// @notice Freezes or unfreezes an account's credit line.
    function setCreditLineFrozen(uint128 accountId, bool frozen) external;

    /// @notice Returns the sum of credit-line limits and of credit in use on `ledger`.
    function creditTotals(uint32 ledger) external view returns (uint128 extended, uint128 used);

    /// @notice Returns the account whose net debit is the SOVR supply.
    function supplyAccountId() external view returns (uint128);

    /// @notice Sets the account whose net debit is the SOVR supply.
    function setSupplyAccount(uint128 accountId) external;

    /// @notice Settles an ERC-20 view transfer between primary accounts (callable by the token only).
    function settleTokenTransfer(address from, address to, uint128 amount) external;

    /// @notice ERC-20 balance of `holder`: what its primary SOVR account can spend, never below zero.
    function tokenBalanceOf(address holder) external view returns (uint256);

    /// @notice ERC-20 total supply: SOVR issued and not redeemed.
    function tokenSupply() external view returns (uint256);
}
