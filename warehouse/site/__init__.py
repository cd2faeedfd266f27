"""The static site: a page per institution a regulator can print or send, with every
finding traced to its archived source.

`load_site_data(con)` reads what every page needs in a handful of bulk queries;
`render_institution(data, code)` writes one page from it; `write_stylesheet(root)` and
`write_archived_copies(root, sources, payload)` put the stylesheet and the archived copies
the pages link to beside them.
"""

from warehouse.site.archived import write_archived_copies
from warehouse.site.data import SiteData, institution_codes, load_site_data
from warehouse.site.institution import page_name, render_institution, write_stylesheet

__all__ = [
    "SiteData",
    "institution_codes",
    "load_site_data",
    "page_name",
    "render_institution",
    "write_archived_copies",
    "write_stylesheet",
]
