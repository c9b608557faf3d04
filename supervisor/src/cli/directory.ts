/** `label`: the owner's names for addresses (SovrDirectory), the same on every device and in every view. */
import { contractLimits, sovrDirectoryAbi } from "@sovr/contracts";
import { boundedText, parseAddress, UsageError } from "./args.ts";
import { openSigning, send } from "./chain.ts";
import { indexedNotes, noMoreArguments, type Verb } from "./verb.ts";

const MAX_LABEL_BYTES = contractLimits.SovrDirectory.MAX_LABEL_LENGTH;

export const label: Verb = {
  name: "label",
  summary: "name an address once (owner key), so every view shows the name instead of hex; --clear removes it",
  help: `usage: pnpm sovr label <address> <name> [--json]
       pnpm sovr label <address> --clear [--json]

  <name>              up to ${MAX_LABEL_BYTES} bytes, e.g. "Acme Ltd" (quote it when it has spaces)
  --clear             remove the address's name`,
  options: { clear: { type: "boolean" } },
  async run({ positionals, values, env }) {
    const subject = parseAddress(positionals[0], "address");
    const clear = values.clear === true;
    if (clear) {
      noMoreArguments("label --clear", positionals, 1);
    } else {
      noMoreArguments("label", positionals, 2);
      if (positionals[1] === undefined)
        throw new UsageError("name the address (pnpm sovr label <address> <name>), or remove its name with --clear");
    }
    const name = clear ? "" : boundedText(positionals[1]?.trim(), "name", { min: 1, max: MAX_LABEL_BYTES });

    const session = await openSigning(env);
    const { receipt } = await send(session, "label", {
      address: session.deployment.directory,
      abi: sovrDirectoryAbi,
      functionName: "setLabel",
      args: [subject, name],
    });
    const notes = await indexedNotes(env, receipt);
    return {
      data: { address: subject, label: name, txHash: receipt.transactionHash, blockNumber: Number(receipt.blockNumber) },
      notes,
      text: clear ? `${subject} has no name now` : `${subject} is "${name}" on every device`,
    };
  },
};
