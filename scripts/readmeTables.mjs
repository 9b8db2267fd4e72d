// The README's command, settings and diagnostic-code tables, rendered from package.json (see
// scripts/readme.mjs; the codes come from the engine's registry through scripts/codes.py).

const cell = (text) => String(text).replace(/\|/g, "\\|").replace(/\n+/g, " ");

/** @param {any} manifest */
export function commandsTable(manifest) {
  const rows = manifest.contributes.commands.map(
    (c) => `| ${cell(`${c.category}: ${c.title}`)} | \`${c.command}\` |`,
  );
  return ["| Command | Id |", "| --- | --- |", ...rows].join("\n");
}

/** @param {any} manifest */
export function settingsTable(manifest) {
  const properties = manifest.contributes.configuration.properties;
  const rows = Object.entries(properties).map(([key, p]) => {
    const value = /** @type {any} */ (p);
    const type = value.enum ? value.enum.map((v) => `\`${v}\``).join(", ") : value.type;
    const description = value.markdownDescription ?? value.description ?? "";
    return `| \`${key}\` | ${cell(type)} | \`${cell(JSON.stringify(value.default))}\` | ${cell(value.scope ?? "window")} | ${cell(description)} |`;
  });
  return ["| Setting | Type | Default | Scope | Description |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}

/** The codes `lockstep.diagnostics.severity` knows, with their default severities. @param {any} manifest */
export function codesTable(manifest) {
  const setting = manifest.contributes.configuration.properties["lockstep.diagnostics.severity"];
  const rows = Object.entries(setting.properties ?? {}).map(([code, p]) => {
    const value = /** @type {any} */ (p);
    return `| \`${code}\` | ${cell(value.default)} | ${cell(value.markdownDescription ?? "")} |`;
  });
  return ["| Code | Default severity | Meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
export function replaceSection(text, name, body) {
  const pattern = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!pattern.test(text)) throw new Error(`README has no ${name} section`);
  return text.replace(pattern, (_, start, end) => `${start}${body}\n${end}`);
}

/** @param {string} readme @param {any} manifest */
export function renderReadme(readme, manifest) {
  const tables = { commands: commandsTable, settings: settingsTable, codes: codesTable };
  return Object.entries(tables).reduce((text, [name, table]) => replaceSection(text, name, table(manifest)), readme);
}
