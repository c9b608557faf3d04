import { describe, expect, it } from "vitest";
import { shortId } from "./ids.ts";

describe("shortId", () => {
  it("names a primary account by its holder's last hex digits", () => {
    // primaryAccountId(0xf39F…2266) = 2^127 | low 128 bits of the address.
    const id = (1n << 127n) | (0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266n & ((1n << 128n) - 1n));
    expect(shortId(id)).toBe("primary …2266");
  });
  it("keeps small ids whole and shortens long ones", () => {
    expect(shortId(1001n)).toBe("1001");
    expect(shortId(124749554424948949160405345797195006204n)).toBe("124749…006204");
  });
});
