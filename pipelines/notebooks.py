"""Execute the analysis notebooks against a warehouse and keep the executed copies.

The notebooks are committed without outputs; running them here is how the demo (and the
tests) prove they still work on the current warehouse and how readers get rendered copies.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from archive.paths import PROJECT_ROOT

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"


class NotebookError(RuntimeError):
    """A notebook cell failed: names the notebook, the cell and the error in one line."""

    def __init__(self, name: str, cell_index: int | None, error: str) -> None:
        self.name = name
        self.cell_index = cell_index
        self.error = error
        where = f"cell {cell_index}" if cell_index is not None else "before the first cell"
        super().__init__(f"notebook {name}: {where} failed: {error}")


def available_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[str]:
    """Notebook names (file stems), sorted so numbered notebooks run in order."""
    return sorted(p.stem for p in notebooks_dir.glob("*.ipynb"))


def _select(names: list[str] | None, notebooks_dir: Path) -> list[str]:
    """Validate the requested names up front so a typo fails before any kernel starts."""
    available = available_notebooks(notebooks_dir)
    if names is None:
        return available
    wanted = [n.removesuffix(".ipynb") for n in names]
    unknown = [n for n in wanted if n not in available]
    if unknown:
        raise ValueError(f"unknown notebook(s) {unknown}; available: {available}")
    return sorted(wanted)


def _kernel_env(data_dir: Path, figures_dir: Path) -> dict[str, str]:
    """The caller's environment plus where the data is and a non-interactive plot backend."""
    env = dict(os.environ)
    pythonpath = [str(PROJECT_ROOT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env.update(
        {
            "CCTV_DATA_DIR": str(data_dir),
            "CCTV_FIGURES_DIR": str(figures_dir),
            "MPLBACKEND": "Agg",
            "PYTHONPATH": os.pathsep.join(pythonpath),
        }
    )
    return env


def _first_line(text: object) -> str:
    lines = str(text or "").strip().splitlines()
    return lines[0] if lines else ""


def _error_line(exc: BaseException) -> str:
    """One line describing the failure: the cell's ``ename: evalue``, or the timeout."""
    ename = getattr(exc, "ename", None)  # set by nbclient's CellExecutionError
    if ename:
        return f"{ename}: {_first_line(getattr(exc, 'evalue', ''))}"
    return f"{type(exc).__name__}: {_first_line(exc)}"  # a timeout, a dead kernel


PARAMETERS_TAG = "parameters"


def read_parameterized(path: Path, parameters: dict[str, Any]) -> Any:
    """The notebook at ``path`` as papermill reads and parameterises it (nothing runs): a
    code cell tagged ``injected-parameters`` right after the code cell tagged ``parameters``
    assigns the given values over its defaults; an earlier injected cell is replaced.

    ValueError when the notebook has no ``parameters`` code cell: papermill would then put
    the values at the top, where the defaults silently overwrite them."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook
    from papermill.utils import find_first_tagged_cell_index

    nb = load_notebook_node(str(path))
    index = find_first_tagged_cell_index(nb, PARAMETERS_TAG)
    if index < 0 or nb.cells[index].cell_type != "code":
        raise ValueError(
            f"notebook {Path(path).stem} has no code cell tagged {PARAMETERS_TAG!r} to set "
            f"{', '.join(parameters)} in"
        )
    # run_notebooks always runs this Python, whatever kernel the notebook names
    return parameterize_notebook(nb, parameters, kernel_name="python3", language="python")


def run_notebooks(
    data_dir: Path,
    out_dir: Path,
    names: list[str] | None = None,
    timeout: int = 120,
    parameters: dict[str, Any] | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Run each notebook top to bottom on ``data_dir``'s warehouse; return the executed copies.

    Every notebook runs in a fresh kernel of this very Python (not whatever ``python3``
    kernelspec a user may have installed), with ``CCTV_DATA_DIR`` pointing at ``data_dir``
    and figures saved under ``out_dir/figures``. ``workers`` kernels run at once (default
    :func:`default_workers`): each notebook is mostly its kernel's own CPU, so on two cores
    two at a time take about half as long as one after another. A failing cell stops that
    notebook, not the others: its partly executed copy is still written (so the traceback
    can be read) and :class:`NotebookError` names the first failing notebook. ``parameters``
    are injected after each notebook's ``parameters`` cell (see :func:`read_parameterized`)
    before anything runs.
    """
    import nbformat
    import zmq
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync
    from nbclient import NotebookClient
    from traitlets import default

    class OwnKernelManager(AsyncKernelManager):
        """Only the native kernel (``sys.executable -m ipykernel_launcher``), over CurveZMQ.

        Encrypting the local sockets also keeps ipykernel from warning about plain TCP.
        """

        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self) -> KernelSpecManager:
            return KernelSpecManager(kernel_dirs=[], ensure_native_kernel=True)

        @default("transport_encryption")
        def _transport_encryption_default(self) -> str:
            return "auto" if zmq.has("curve") else "disabled"

    data_dir = Path(data_dir).resolve()
    out_dir = Path(out_dir).resolve()
    figures_dir = out_dir / "figures"
    figures_dir.mkdir(parents=True, exist_ok=True)
    env = _kernel_env(data_dir, figures_dir)

    selected = _select(names, NOTEBOOKS_DIR)
    notebooks = {}
    for name in selected:  # all read and parameterised before the first kernel starts
        path = NOTEBOOKS_DIR / f"{name}.ipynb"
        notebooks[name] = (
            read_parameterized(path, parameters)
            if parameters
            else nbformat.read(path, as_version=4)
        )

    def client_for(name: str, manager: Any) -> tuple[Any, dict[str, int | None]]:
        current: dict[str, int | None] = {"cell": None}

        def on_cell_start(cell: Any, cell_index: int) -> None:
            current["cell"] = cell_index

        client = NotebookClient(
            notebooks[name],
            km=manager,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(out_dir)}},
            on_cell_start=on_cell_start,
        )
        return client, current

    def new_manager() -> OwnKernelManager:
        return OwnKernelManager(kernel_name="python3")

    outcomes = run_sync(_execute_all)(
        selected, client_for, new_manager, env, workers or default_workers()
    )
    written: list[Path] = []
    failure: NotebookError | None = None
    for name in selected:  # every copy is written, a failed one partly executed
        target = out_dir / f"{name}.ipynb"
        nbformat.write(notebooks[name], target)
        error = outcomes[name]
        if error is None:
            written.append(target)
        elif failure is None:  # the first failing notebook, in running order, is reported
            cell, exc = error
            failure = NotebookError(name, cell, _error_line(exc))
            failure.__cause__ = exc
    if failure is not None:
        raise failure
    return written


def default_workers() -> int:
    """Notebooks run at once: one kernel per core, at most MAX_WORKERS (each kernel holds
    its own pandas and matplotlib, a few hundred MB)."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


MAX_WORKERS = 4


# Run between two notebooks in one kernel: a new session (execution counts from 1, no
# history) and an empty namespace, as in a fresh kernel; imported modules stay loaded, which
# is the time saved.
RESET_SESSION = "get_ipython().reset(new_session=True)"


async def _execute_all(
    names: list[str],
    client_for: Callable[[str, Any], tuple[Any, dict[str, int | None]]],
    new_manager: Callable[[], Any],
    env: dict[str, str],
    workers: int,
) -> dict[str, tuple[int | None, BaseException] | None]:
    """Execute the notebooks on ``workers`` kernels at once; None for each that ran through,
    else the cell it stopped in and why.

    The notebooks only read the warehouse (read-only connections), so they are independent
    and their order does not matter. Each kernel takes the next notebook when it is free and
    starts it on a reset session, so pandas, matplotlib and DuckDB are imported once per
    kernel rather than once per notebook (about 2 s of each notebook's 4-6 s). A kernel whose
    notebook failed is shut down (a timed-out cell may still be running) and the next
    notebook gets a fresh one."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for name in names:
        queue.put_nowait(name)
    outcomes: dict[str, tuple[int | None, BaseException] | None] = {}

    async def worker() -> None:
        manager = new_manager()
        used = False
        try:
            while not queue.empty():
                name = queue.get_nowait()
                client, current = client_for(name, manager)
                try:
                    if used:
                        await _reset_session(manager)
                    await client.async_execute(env=env)
                    outcomes[name] = None
                    used = True
                except Exception as exc:
                    outcomes[name] = (current["cell"], exc)
                    if manager.has_kernel:
                        await manager.shutdown_kernel(now=True)
                    manager, used = new_manager(), False  # a stopped manager cannot restart
                finally:
                    if client.kc is not None:
                        client.kc.stop_channels()
        finally:
            if manager.has_kernel:
                await manager.shutdown_kernel()

    await asyncio.gather(*(worker() for _ in range(min(workers, len(names)))))
    return {name: outcomes[name] for name in names}


async def _reset_session(manager: Any) -> None:
    """Give the running kernel a fresh session (see RESET_SESSION) before the next notebook."""
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        reply = await client.execute_interactive(
            RESET_SESSION, silent=True, store_history=False, timeout=60
        )
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the kernel's session could not be reset: {reply['content']}")
    finally:
        client.stop_channels()
