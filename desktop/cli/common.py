"""What every command shares: exit codes and JSON output."""

from __future__ import annotations

import json
from typing import Any

EXIT_OK = 0
EXIT_ERROR = 1


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))
