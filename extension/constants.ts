// Identifiers the manifest (package.json) also declares. tests/unit/manifest.test.ts keeps the two
// in step, so a rename in one place fails the build instead of silently breaking a command.

export const EXTENSION_ID = "lockstep-dev.lockstep";
export const OUTPUT_CHANNEL_NAME = "Lockstep";
export const STATUS_ITEM_ID = "status";

export const Commands = {
  showLog: "lockstep.showLog",
  restartHelper: "lockstep.restartHelper",
  refreshProjects: "lockstep.refreshProjects",
  selectInterpreter: "lockstep.selectInterpreter",
  createEnvironment: "lockstep.createEnvironment",
  syncEnvironment: "lockstep.syncEnvironment",
  recreateEnvironment: "lockstep.recreateEnvironment",
  deleteEnvironment: "lockstep.deleteEnvironment",
  checkDrift: "lockstep.checkDrift",
  updateLock: "lockstep.updateLock",
} as const;

export const SETTINGS_SECTION = "lockstep";

/** Setting keys, relative to the `lockstep` section. */
export const Settings = {
  helperPython: "helper.python",
  exclude: "exclude",
  autoCreate: "autoCreate",
  venvPath: "venv.path",
  venvSeed: "venv.seed",
  uvPath: "uv.path",
  pythonPreference: "python.preference",
  pythonAutoInstall: "python.autoInstall",
  pythonInstallDir: "python.installDir",
  pythonDownloadsJson: "python.downloadsJson",
  pythonInstallMirror: "python.installMirror",
  diagnosticsEnabled: "diagnostics.enabled",
  diagnosticsSeverity: "diagnostics.severity",
  diagnosticsExtraneous: "diagnostics.extraneous",
} as const;

/** Settings the helper reads: a change is pushed to it (didChangeConfiguration), not a restart. */
export const HELPER_SETTINGS = [
  Settings.exclude,
  Settings.venvPath,
  Settings.venvSeed,
  Settings.uvPath,
  Settings.pythonPreference,
  Settings.pythonInstallDir,
  Settings.pythonDownloadsJson,
  Settings.pythonInstallMirror,
  Settings.diagnosticsEnabled,
  Settings.diagnosticsSeverity,
  Settings.diagnosticsExtraneous,
] as const;

/** The oldest Python that can run the helper. */
export const MIN_HELPER_PYTHON: readonly [number, number] = [3, 10];
