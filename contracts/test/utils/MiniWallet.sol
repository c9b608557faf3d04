// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @dev A minimal ERC-1271 smart account (a Safe stands in the same way): a signature is valid when its
/// signer key signed the hash.
contract MiniWallet is IERC1271 {
    address public immutable signer;

    constructor(address signer_) {
        signer = signer_;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, signature);
        bool valid = err == ECDSA.RecoverError.NoError && recovered == signer;
        return valid ? IERC1271.isValidSignature.selector : bytes4(0);
    }
}
