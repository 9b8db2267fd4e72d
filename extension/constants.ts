// Names the manifest does not declare. What package.json declares (the extension id, command ids,
// setting keys) is generated from it: configuration.ts.

export const OUTPUT_CHANNEL_NAME = "Lockstep";
export const STATUS_ITEM_ID = "status";
/** The Microsoft Python extension, told the environment Lockstep uses (pythonExtension.ts). */
export const PYTHON_EXTENSION_ID = "ms-python.python";
/** The Python Environments extension, told instead when it is installed (pythonTools.ts). */
export const PYTHON_ENVIRONMENTS_ID = "ms-python.vscode-python-envs";

/** The oldest Python that can run the helper. */
export const MIN_HELPER_PYTHON: readonly [number, number] = [3, 10];
