/**
 * Runs the Ignition module `Sovr` against the `sovr` network (SOVR_RPC_URL), under `hardhat run`.
 * Programmatic rather than `hardhat ignition deploy`: the CLI discards the journal of chain 31337
 * whenever the node process restarts, which would redeploy on every start of a persistent chain.
 * The caller (`@sovr/runtime/deploy`) detects a really new chain by its block-1 hash instead.
 * SOVR_GUARDIAN_ADDRESS names the guardian's host key (GUARDIAN_ROLE).
 */
import { network } from "hardhat";
import SovrModule from "./modules/Sovr.ts";

const deploymentId = process.env.SOVR_DEPLOYMENT_ID;
const guardian = process.env.SOVR_GUARDIAN_ADDRESS;
if (!deploymentId) throw new Error("SOVR_DEPLOYMENT_ID is not set");
if (!guardian) throw new Error("SOVR_GUARDIAN_ADDRESS is not set: name the guardian's host key");
const connection = await network.create("sovr");
await connection.ignition.deploy(SovrModule, { deploymentId, displayUi: true, parameters: { Sovr: { guardian } } });
