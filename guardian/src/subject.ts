/** Verdict subjects live with the contracts' domain rules (`@sovr/contracts`), shared with the notifier and the web app. */
export { comparePositions, type Position, positionOfSubject, subjectOf } from "@sovr/contracts";
