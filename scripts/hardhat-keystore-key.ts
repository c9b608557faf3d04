/**
 * Run by `hardhat run` for `SOVR_KEYSTORE=hardhat`: reads the entry `SOVR_KEYSTORE_ENTRY` of Hardhat's
 * encrypted keystore through Hardhat's own resolution (its keystore plugin asks for the password on the
 * terminal) and writes it to file descriptor 3, a pipe to the CLI that asked: never to stdout, a file
 * or an environment. An absent entry writes nothing.
 */
import { writeSync } from "node:fs";
import hre from "hardhat";
import { configVariable } from "hardhat/config";

const PIPE_TO_CLI = 3;
const entry = process.env.SOVR_KEYSTORE_ENTRY;
if (!entry) throw new Error("SOVR_KEYSTORE_ENTRY names the keystore entry to read");
const value = await hre.hooks.runHandlerChain("configurationVariables", "fetchValue", [configVariable(entry)], async () => "");
writeSync(PIPE_TO_CLI, value);
