// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {ISovrLedger} from "./interfaces/ISovrLedger.sol";

/// @title SovrRelay: EIP-712 signed ledger transfers that anyone can relay
/// @notice The debit account's owner (or its operator) signs a transfer off-chain; anyone submits it
/// and pays the gas. A signature is usable once, because transfer ids are unique on the ledger, and
/// only on this chain and for this relay, because both are in the EIP-712 domain.
/// @dev Deployed by SovrLedger's constructor, which trusts this contract (and only it) to pass on the
/// verified signer as the transfer's authority.
contract SovrRelay is EIP712 {
    /// @notice EIP-712 type of a signed transfer.
    bytes32 public constant TRANSFER_TYPEHASH = keccak256(
        "Transfer(uint128 id,uint128 debitAccountId,uint128 creditAccountId,uint128 amount,uint128 pendingId,"
        "bytes32 userData,uint32 timeout,uint32 ledger,uint16 code,uint16 flags,uint256 deadline)"
    );

    /// @notice The ledger that applies relayed transfers.
    ISovrLedger public immutable ledger;

    /// @param ledger_ The ledger deploying this relay.
    constructor(ISovrLedger ledger_) EIP712("SovrLedger", "1") {
        ledger = ledger_;
    }

    /// @notice Applies a transfer signed by `signer`; reverts with the ledger's error if it does not apply.
    /// @param transfer The transfer as signed.
    /// @param signer The address whose authority is used (an EOA or an ERC-1271 wallet such as a Safe).
    /// @param deadline Last second at which the signature may be relayed.
    /// @param signature The signature over the `Transfer` typed data including `deadline`.
    function createTransferWithSignature(
        ISovrLedger.Transfer calldata transfer,
        address signer,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert ISovrLedger.SignatureExpired(deadline);
        if (!SignatureChecker.isValidSignatureNow(signer, transferDigest(transfer, deadline), signature)) {
            revert ISovrLedger.InvalidSignature(signer);
        }
        ledger.createTransferAs(signer, transfer);
    }

    /// @notice The EIP-712 digest a signer signs for `transfer` with `deadline`.
    /// @param transfer The transfer.
    /// @param deadline Last second at which the signature may be relayed.
    function transferDigest(ISovrLedger.Transfer calldata transfer, uint256 deadline) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(TRANSFER_TYPEHASH, transfer, deadline)));
    }
}
