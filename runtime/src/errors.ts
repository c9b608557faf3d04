/** A problem the user must fix: printed as one line (no stack) and a non-zero exit. */
export class UserError extends Error {}
