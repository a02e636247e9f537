"""The data tables' fixed code lists, importable without pandera.

:mod:`ehelse_market.inputs.schemas` builds the pandera schemas from these lists; the domain
models, the case files and the loader's fast path read them from here, so that drawing figures or
running a notebook on already validated data does not import pandera (see the validation cache in
:mod:`ehelse_market.inputs.loader`).
"""

from __future__ import annotations

#: Tables whose rows are numbers with provenance, in the layout of ``schemas.VALUE_SCHEMA``;
#: the loaded version's ``values`` holds their rows in this order.
VALUE_TABLES = ("market", "ict", "workforce", "gains", "digital_use", "informants", "international", "assumptions")

#: Contract-risk levels of the contract rule (seed 000 lines 3844-3848), also what a case file may give.
CONTRACT_RISKS = ("low", "medium", "high")

#: The sourcing options, in the sourcing matrix's column order (seed 002 line 270).
SOURCING_OPTIONS = ("anskaffe", "utvikle", "samskape")

#: What may trigger a principle (``principles.csv`` column ``triggers``, space-separated).
PRINCIPLE_TRIGGERS = tuple(f"option:{o}" for o in SOURCING_OPTIONS) + ("contract_shorter_than_need", "rule_disagrees")
