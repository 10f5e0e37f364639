// Output of `pullwarden init -o FILE` on stderr (with -o - the layout itself goes to stdout as written).

/** What was written and the next step; `shown`: the file as messages name it. */
export function renderWrittenLayout(shown: string): string {
  return `wrote ${shown}; next: review it, then pullwarden plan -f ${shown}\n`;
}
