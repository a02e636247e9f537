"""`python -m ehelse_market` runs the command line."""

import sys

from ehelse_market.cli import main

sys.exit(main())
