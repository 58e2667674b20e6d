/**
 * A tool call's arguments as vendors send them, JSON text, parsed: empty text is no arguments
 * (`{}`), and text that is not JSON is kept as it is, so nothing the model produced is lost.
 */
export function parseToolInput(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
