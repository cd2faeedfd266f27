"""Validate the warehouse with great-expectations and publish offline Data Docs.

Importing this package is cheap: great-expectations itself is imported only when
`validate` runs.
"""

from warehouse.validation.results import results_table, store_results
from warehouse.validation.runner import ExpectationOutcome, ValidationReport, validate

__all__ = ["ExpectationOutcome", "ValidationReport", "results_table", "store_results", "validate"]
