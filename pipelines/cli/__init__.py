"""`cctv`: one command for every stage. Errors are one clear line plus where the detail is.

Exit codes: 0 ok; 1 a stage failed, an error-level expectation failed, or the warehouse is
missing; 2 a usage error (unknown option or institution code, a file that cannot be read).
Results go to stdout; progress bars (on a terminal only), notices and errors to stderr.

One module per command; `cctv.py` registers them on `app` and holds `main()`, the console
entry point. A command module parses arguments, calls a stage and prints what it returned.
"""

from __future__ import annotations

from pipelines.cli.cctv import app, main

__all__ = ["app", "main"]
