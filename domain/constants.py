"""Facts about Korea that several stages use, stated once."""

from __future__ import annotations

import datetime as dt

# Korean dates and times: crawl dates, the dates pages state and the registry's are all in
# KST, which has no daylight saving time.
KST = dt.timezone(dt.timedelta(hours=9), "KST")

# The Korean mainland and islands (제주, 울릉도, 독도, 마라도) lie inside these; a camera
# coordinate outside them is a typo or swapped latitude/longitude.
KOREA_LAT = (33.0, 38.7)
KOREA_LON = (124.5, 132.0)
