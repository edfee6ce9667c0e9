"""The risk engines: drivers, the block-seeded Monte Carlo of plans and portfolios, Dask.

Pure: arrays and plain data in, summaries out; the engine layer gathers the inputs.
"""
