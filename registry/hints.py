"""What a parse of one document given by hand (`cctv parse`) is told about who it is from:
every institution it may name, and the institution the person named, when they did."""

from __future__ import annotations

from registry import by_code, load_registry
from registry.area_codes import area_code_for
from registry.dimension import load_institutions
from registry.institutions import InstitutionDirectory, InstitutionHint


def document_hint(code: str | None = None) -> InstitutionHint:
    """The hint for a document of `code` (a resolved inst_code), or of nobody known: then
    the parse names the institution from the URL's host and the page itself. The bundled
    registry's row wins over the dimension's; a code in neither still gives its area code,
    so phones without one are completed."""
    registry = by_code(load_registry())
    dimension = load_institutions()
    directory = InstitutionDirectory.of(dimension, registry.values())
    if code is None:
        return InstitutionHint(directory=directory)
    inst = registry.get(code) or by_code(dimension).get(code)
    if inst is not None:
        return inst.hint(directory)
    return InstitutionHint(code=code, area_code=area_code_for(code), directory=directory)
