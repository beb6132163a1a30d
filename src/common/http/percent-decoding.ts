/** Whether `text`'s percent-escapes decode: each `%` starts an escape, and the escapes spell UTF-8. */
export function percentDecodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}
