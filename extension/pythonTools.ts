// The Python tooling that is told which environment Lockstep uses: the Python Environments extension
// when it is installed (its API is per project folder), else the Python extension. Each is reached
// through its published API; only the calls Lockstep makes are declared here.
import type { PythonExtension } from "@vscode/python-extension";
import * as vscode from "vscode";
import { PYTHON_ENVIRONMENTS_ID, PYTHON_EXTENSION_ID } from "./constants";

/** One tool that has an interpreter per folder: what it uses there, and how to tell it another. */
export interface PythonTool {
  name: string;
  current(scope: vscode.Uri): Promise<string | undefined>;
  use(python: string, scope: vscode.Uri): Promise<void>;
}

/**
 * The part of ms-python.vscode-python-envs' `PythonEnvironmentApi` (src/api.ts of
 * microsoft/vscode-python-environments, 1.x) that Lockstep calls.
 */
interface PythonEnvironmentsApi {
  getEnvironment(scope: vscode.Uri | undefined): Promise<{ environmentPath: vscode.Uri } | undefined>;
  resolveEnvironment(context: vscode.Uri): Promise<object | undefined>;
  setEnvironment(scope: vscode.Uri | undefined, environment?: object): Promise<void>;
}

async function exportsOf<T>(id: string): Promise<T | undefined> {
  const extension = vscode.extensions.getExtension<T>(id);
  if (!extension) return undefined;
  return extension.isActive ? extension.exports : await extension.activate();
}

function pythonEnvironments(api: PythonEnvironmentsApi): PythonTool {
  return {
    name: "Python Environments",
    current: async (scope) => (await api.getEnvironment(scope))?.environmentPath.fsPath,
    use: async (python, scope) => {
      const environment = await api.resolveEnvironment(vscode.Uri.file(python));
      if (!environment) throw new Error(`Python Environments does not recognise ${python}`);
      await api.setEnvironment(scope, environment);
    },
  };
}

function pythonExtension(environments: PythonExtension["environments"]): PythonTool {
  return {
    name: "the Python extension",
    current: async (scope) => environments.getActiveEnvironmentPath(scope)?.path,
    use: (python, scope) => environments.updateActiveEnvironmentPath(python, scope),
  };
}

/** The tool to tell, or undefined when neither extension is installed. */
export async function pythonTool(): Promise<PythonTool | undefined> {
  const environmentsApi = await exportsOf<PythonEnvironmentsApi>(PYTHON_ENVIRONMENTS_ID);
  if (environmentsApi) return pythonEnvironments(environmentsApi);
  const python = await exportsOf<PythonExtension>(PYTHON_EXTENSION_ID);
  return python?.environments ? pythonExtension(python.environments) : undefined;
}
