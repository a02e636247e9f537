"""Publishing: figures, reader words, the chapter API the notebooks call, and the report builder."""
