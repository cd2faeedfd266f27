"""Four institutions' websites, bundled so the crawler can be run and tested offline.

The pages carry the real policy texts (typos included) inside shortened site chrome; the
spreadsheets are synthetic and say so. `SampleWeb` serves them on 127.0.0.1.
"""

from crawler.sample_web.server import SITES_DIR, SampleWeb

__all__ = ["SITES_DIR", "SampleWeb"]
