"""The Datasette plugin that answers a failed request without a traceback in the terminal.

Datasette's own handler prints every exception with its locals (a 404 for a row that does
not exist, a typed query that is not a SELECT) to the terminal `cctv serve` runs in. This
one answers the same way (JSON for a `.json` path, else its error page, in Korean) and prints
only a server error, as one line; `app.py` puts it in the place of Datasette's.
"""

from __future__ import annotations

import sys
from typing import Any

from datasette import Response, hookimpl
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError
from markupsafe import Markup

from warehouse.serve.words import error_text, error_title

DEFAULT_HANDLER = "datasette.handle_exception"


def _status(exception: BaseException) -> tuple[int, dict[str, Any], Any, str | None]:
    """(status, extra info, message, title) as Datasette's own handler gives them."""
    if isinstance(exception, Base400):
        return exception.status, {}, exception.args[0] if exception.args else "", None
    if isinstance(exception, DatasetteError):
        message = Markup(exception.message) if exception.message_is_html else exception.message
        return exception.status, dict(exception.error_dict), message, exception.title
    return 500, {}, str(exception), None


@hookimpl
def handle_exception(datasette: Any, request: Any, exception: BaseException) -> Any:
    async def inner() -> Response:
        status, info, message, title = _status(exception)
        if status >= 500:
            line = " ".join(f"{type(exception).__name__}: {exception}".split())
            sys.stderr.write(f"오류 {status}: {request.path}: {line}\n")
        info.update({"ok": False, "error": message, "status": status, "title": title})
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        page = await template.render_async(
            dict(
                info,
                error=error_text(message),
                title=error_title(title, status),
                urls=datasette.urls,
                app_css_hash=datasette.app_css_hash(),
                menu_links=lambda: [],
            )
        )
        return Response.html(page, status=status)

    return inner
