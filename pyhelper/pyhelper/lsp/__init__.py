"""The language server: Lockstep's LSP adapter over the engine (nothing here is imported by the engine).

- `server.py`: wiring only (the pygls server, feature registration, `serve`).
- `session.py`: one editor session's state and what keeps it current (scan, diagnostics, live drift),
  and what long requests share (blocking work, progress).
- One handler module per feature: `projects.py`, `drift.py`, `environments.py`, `interpreters.py`.
- `protocol.py`: the custom methods and their payloads (the wire; the TypeScript twin is
  `extension/protocol.ts`); `requestparams.py` checks params against it; `transport.py` frames
  messages; `diagnostics.py` turns findings into LSP diagnostics.
"""
