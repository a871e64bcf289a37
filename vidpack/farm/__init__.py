"""Batches of masters as task graphs run on a local pool, a Dask cluster, or exported as an Open
Job Description job (see :mod:`vidpack.farm.model` for the task model)."""
