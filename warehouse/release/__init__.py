"""A versioned, citable release of the warehouse (`cctv release OUT/`): the public tables
as Parquet and CSV, the DuckDB file, a Frictionless data package, checksums, a change log
against the previous release and a Korean README (warehouse.release.build)."""
