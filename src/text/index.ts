// Text helpers every layer shares: shell quoting for printed commands, counted nouns, edit distance for "did you
// mean". Pure, and importing nothing of pullwarden's.
export { shFlag, shOpt, shPath, shQuote } from "./shell.js";
export { plural } from "./plural.js";
export { editDistance } from "./edit-distance.js";
