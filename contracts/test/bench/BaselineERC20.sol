// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title BaselineERC20: a plain OpenZeppelin v5 ERC-20, the gas baseline of `pnpm bench gas`
/// @notice Not part of the product: deployed only by the benchmark, in the same run as the ledger.
contract BaselineERC20 is ERC20 {
    /// @param holder Receives the whole supply.
    /// @param supply Tokens minted to `holder`.
    constructor(address holder, uint256 supply) ERC20("Baseline", "BASE") {
        _mint(holder, supply);
    }
}
