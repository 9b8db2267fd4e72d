// A stand-in for ms-python.vscode-python-envs (the marketplace is not reachable from the test
// machines): getEnvironment / resolveEnvironment / setEnvironment of its PythonEnvironmentApi, with
// every call appended to $LOCKSTEP_E2E_PYTHON_API_LOG as a JSON line. Every folder starts with the
// interpreter $LOCKSTEP_E2E_PYTHON_ACTIVE.
const { appendFileSync } = require("node:fs");
const vscode = require("vscode");

exports.activate = function activate() {
  const record = (entry) =>
    appendFileSync(process.env.LOCKSTEP_E2E_PYTHON_API_LOG, `${JSON.stringify({ tool: "python-envs", ...entry })}\n`);
  const environment = (path) => ({ environmentPath: vscode.Uri.file(path), envId: { id: path, managerId: "double" } });
  let active = environment(process.env.LOCKSTEP_E2E_PYTHON_ACTIVE || "/usr/bin/python3");
  return {
    async getEnvironment(scope) {
      record({ call: "getEnvironment", resource: scope ? scope.fsPath : null });
      return active;
    },
    async resolveEnvironment(context) {
      record({ call: "resolveEnvironment", path: context.fsPath });
      return environment(context.fsPath);
    },
    async setEnvironment(scope, chosen) {
      record({ call: "setEnvironment", path: chosen && chosen.environmentPath.fsPath, resource: scope ? scope.fsPath : null });
      active = chosen;
    },
  };
};
