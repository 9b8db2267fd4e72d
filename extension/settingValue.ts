// A setting's value as the code may use it: settings.json is the workspace's, so a value of another
// type than package.json declares (a string where a list is declared, a number in a list of names)
// is taken for the default rather than trusted to the code that reads it. Pure, for unit tests.

/** `value` when it has the type of `fallback` (text trimmed, a blank text the default; a list keeps only its texts). */
export function settingValue<T>(value: unknown, fallback: T): T {
  if (Array.isArray(fallback)) {
    if (!Array.isArray(value)) return fallback;
    return value.filter((item): item is string => typeof item === "string").map((item) => item.trim()).filter(Boolean) as T;
  }
  if (typeof fallback === "object" && fallback !== null) {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as T) : fallback;
  }
  if (typeof value !== typeof fallback) return fallback;
  // An empty (or blank) text means "not set": the default, e.g. `.venv` or "look on PATH".
  return typeof value === "string" ? ((value.trim() || fallback) as T) : (value as T);
}
