"""Value grammars: one small pure function per kind of cell, each returning value + flags."""

from transforms.values.counts import Count, parse_count
from transforms.values.dates import find_dates, parse_date
from transforms.values.hours import Hours, parse_recording_hours
from transforms.values.phones import find_phones, normalize_phone
from transforms.values.placeholders import is_placeholder
from transforms.values.purposes import CANONICAL_PURPOSES, Purpose, classify_purpose
from transforms.values.retention import Retention, parse_retention

__all__ = [
    "CANONICAL_PURPOSES",
    "Count",
    "Hours",
    "Purpose",
    "Retention",
    "classify_purpose",
    "find_dates",
    "find_phones",
    "is_placeholder",
    "normalize_phone",
    "parse_count",
    "parse_date",
    "parse_recording_hours",
    "parse_retention",
]
