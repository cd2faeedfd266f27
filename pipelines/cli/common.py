"""What several commands check before they run a stage: the data directory, the warehouse,
the institutions typed, the file given, the path an output may take. Each failure is the
one-line `fail` with its exit code (2 for a usage error)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from archive.paths import DataPaths, data_paths
from pipelines.console import fail
from registry import REGISTRY_CSV, RegistryError
from registry.lookup import Known


def paths_of(data_dir: Path | None) -> DataPaths:
    """The data directory, refused at once when it is not a directory (a file given by
    mistake would otherwise fail later, deep inside a stage)."""
    paths = data_paths(data_dir)
    if paths.root.exists() and not paths.root.is_dir():
        where = "--data-dir" if data_dir is not None else "the data directory"
        raise fail(f"{where} {paths.root} is not a directory: give a directory", 2)
    return paths


def require_warehouse(paths: DataPaths) -> Path:
    """The warehouse file, or the one-line error that says which command builds it."""
    from pipelines.stages import missing_warehouse

    if not paths.duckdb.exists():
        raise fail(missing_warehouse(paths))
    return paths.duckdb


def resolve(values: list[str], known: list[Known], where: str) -> list[str]:
    """Codes for what was typed (codes, or names of one institution); exit 2 otherwise."""
    from registry.lookup import UnknownInstitution, resolve_all

    try:
        return resolve_all(values, known, where)
    except UnknownInstitution as exc:
        raise fail(str(exc), 2) from exc


def registry_known(registry: Path) -> list[Known]:
    """The institutions of a registry file; a bad file is a stage failure (exit 1)."""
    from registry.lookup import registry_institutions

    try:
        return registry_institutions(registry)
    except RegistryError as exc:
        raise fail(str(exc)) from exc


def all_known() -> list[Known]:
    """Registry and dimension institutions: every code a document can belong to."""
    from registry.lookup import document_institutions

    try:
        return document_institutions(REGISTRY_CSV)
    except RegistryError as exc:
        raise fail(str(exc)) from exc


def read_document(path: Path) -> bytes:
    """The bytes of a file given to `parse` or `import`: a regular file within the readers'
    size limit (a device, a pipe or a directory is refused, unread, with exit 2)."""
    from warehouse.safe_read import UnreadableFile, read_named_file

    try:
        return read_named_file(path)
    except UnreadableFile as exc:
        raise fail(str(exc), 2) from exc


def outside_the_store(paths: DataPaths, target: Path) -> Path:
    """`target`, unless it lies in the archive or the warehouse folder: a file renamed onto
    cctv.duckdb or into the WARC folder would destroy what every build reads."""
    from warehouse.safe_write import TargetError

    where = target.parent.resolve() / target.name
    for store in (paths.archive, paths.warehouse):
        if where.is_relative_to(store.resolve()):
            raise TargetError(
                f"{target} is inside {store}, which holds the data this command reads: "
                "write the file elsewhere; nothing written"
            )
    return target


@contextmanager
def writing(*failures: type[BaseException]) -> Iterator[None]:
    """An output refused (a special file, a folder in the store) is a usage error, exit 2;
    a write that fails, or any of `failures`, is exit 1; each one line."""
    from warehouse.safe_write import TargetError, WriteFailed

    try:
        yield
    except TargetError as exc:
        raise fail(str(exc), 2) from exc
    except (WriteFailed, *failures) as exc:
        raise fail(str(exc)) from exc
