// A stand-in for ms-python.python (the marketplace is not reachable from the test machines): the
// environments part of its published API (@vscode/python-extension 1.0.6) that Lockstep calls, with
// every call appended to $LOCKSTEP_E2E_PYTHON_API_LOG as a JSON line. The interpreter it starts with
// for every folder is $LOCKSTEP_E2E_PYTHON_ACTIVE ("python", its answer when nothing is chosen).
const { appendFileSync } = require("node:fs");
const vscode = require("vscode");

exports.activate = function activate() {
  let active = process.env.LOCKSTEP_E2E_PYTHON_ACTIVE || "python";
  const changed = new vscode.EventEmitter();
  const record = (entry) =>
    appendFileSync(process.env.LOCKSTEP_E2E_PYTHON_API_LOG, `${JSON.stringify({ tool: "python", ...entry })}\n`);
  const where = (resource) => (resource ? (resource.uri ?? resource).fsPath : null);
  return {
    ready: Promise.resolve(),
    environments: {
      getActiveEnvironmentPath(resource) {
        record({ call: "getActiveEnvironmentPath", resource: where(resource) });
        return { id: active, path: active };
      },
      async updateActiveEnvironmentPath(environment, resource) {
        const path = typeof environment === "string" ? environment : environment.path;
        record({ call: "updateActiveEnvironmentPath", path, resource: where(resource) });
        active = path;
        changed.fire({ id: path, path, resource });
      },
      onDidChangeActiveEnvironmentPath: changed.event,
      known: [],
    },
  };
};
