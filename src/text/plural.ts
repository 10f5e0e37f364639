/** `plural(1, "error")` → `1 error`, `plural(3, "error")` → `3 errors`, `plural(2, "Pod was", "Pods were")`. */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}
