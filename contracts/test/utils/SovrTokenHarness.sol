// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrLedger} from "../../src/interfaces/ISovrLedger.sol";
import {SovrToken} from "../../src/SovrToken.sol";

/// @dev Exposes the internal mint and burn hooks that SovrToken refuses (no public path reaches them).
contract SovrTokenHarness is SovrToken {
    constructor(ISovrLedger ledger_) SovrToken(ledger_) {}

    function mint(address to, uint256 value) external {
        _mint(to, value);
    }

    function burn(address from, uint256 value) external {
        _burn(from, value);
    }
}
