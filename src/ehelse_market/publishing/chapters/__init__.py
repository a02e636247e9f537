"""The report chapters' figures: one module per chapter with its data and plot functions and,
beside it, a YAML file of the same name with each figure's metadata (see
:mod:`ehelse_market.publishing.figures` and docs/contributing.md, "A figure").

``common`` holds the drawing helpers the chapters share; it has no YAML and registers nothing.
"""
