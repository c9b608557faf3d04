/**
 * Runs the Ignition module `Sovr` against the `sovr` network (SOVR_RPC_URL), under `hardhat run`.
 * Programmatic rather than `hardhat ignition deploy`: the CLI discards the journal of chain 31337
 * whenever the node process restarts, which would redeploy on every start of a persistent chain.
 * The caller (deploy.ts) detects a really new chain by its genesis hash instead.
 * SOVR_GUARDIAN_ADDRESS names the guardian's host key (the module's default is the node's third account).
 */
import { network } from "hardhat";
import SovrModule from "../../ignition/modules/Sovr.ts";

const deploymentId = process.env.SOVR_DEPLOYMENT_ID;
if (!deploymentId) throw new Error("SOVR_DEPLOYMENT_ID is not set");
const connection = await network.create("sovr");
const guardian = process.env.SOVR_GUARDIAN_ADDRESS;
await connection.ignition.deploy(SovrModule, { deploymentId, displayUi: true, ...(guardian ? { parameters: { Sovr: { guardian } } } : {}) });
