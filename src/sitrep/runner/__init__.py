"""Runners: the same extraction in this process, on every core, or on a Dask cluster.

``local`` (one process), ``pool`` (worker processes with one Extractor each, the parent the single
writer), ``dask_runner`` (Dask distributed workers, a worker plugin loading the pipeline once),
``records`` (results as rows and Parquet partitions), ``progress`` (totals, the progress line and
Ctrl-C), ``ingest`` (bulk runs into a store through one writer), ``watch`` (polling feeds and pages).
"""
