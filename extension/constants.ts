// Identifiers the manifest (package.json) also declares. tests/unit/manifest.test.ts keeps the two
// in step, so a rename in one place fails the build instead of silently breaking a command. (Setting
// keys are generated from the manifest: configuration.ts.)

export const EXTENSION_ID = "lockstep-dev.lockstep";
export const OUTPUT_CHANNEL_NAME = "Lockstep";
export const STATUS_ITEM_ID = "status";
/** The Microsoft Python extension, told the environment Lockstep uses (pythonExtension.ts). */
export const PYTHON_EXTENSION_ID = "ms-python.python";
/** The Python Environments extension, told instead when it is installed (pythonTools.ts). */
export const PYTHON_ENVIRONMENTS_ID = "ms-python.vscode-python-envs";

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
  openPyproject: "lockstep.openPyproject",
  openLockfile: "lockstep.openLockfile",
} as const;

/** The oldest Python that can run the helper. */
export const MIN_HELPER_PYTHON: readonly [number, number] = [3, 10];
