"""``python -m desktop`` does what the ``uniondesk`` command does."""

import sys

from desktop.cli import main

sys.exit(main())
