"""The domain models: pure functions from input tables and a scenario to tidy results.

``market`` (the 13.6 bn split), ``contracts`` (contract forms), ``ict`` (ICT spend ratios),
``workforce`` (årsverk to 2060), ``gains`` (the 1 % example), ``sourcing`` (the sourcing
advice) and ``results`` (the tidy result frame they all return). No file I/O, no printing, no plots.
"""
