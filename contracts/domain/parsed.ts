/** What a check of user input gives: the value, or the sentence that says what is wrong. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = <T = never>(error: string): Parsed<T> => ({ ok: false, error });

/** A clause as the start of a sentence shown to a person: "the amount ..." -> "The amount ...". */
export const capitalized = (clause: string): string => (clause === "" ? clause : `${clause[0]!.toUpperCase()}${clause.slice(1)}`);
