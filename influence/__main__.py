"""``python -m influence`` is the ``influence`` command."""

import sys

from influence.cli import main

sys.exit(main())
