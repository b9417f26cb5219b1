"""The naive alternative to a plan: one GET per resource by id, PARALLEL at a time.

`python benchmarks/baseline.py TARGETS.json` reads a list of `{"url": ..., "headers": {...}}`,
GETs each once over keep-alive connections, and prints `{"requests": N, "errors": E}` as JSON.
It is what a Terraform-style refresh does; run.py measures it next to `syncform plan`.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

PARALLEL = 10


def fetch_all(targets: list[dict[str, Any]], parallel: int = PARALLEL) -> dict[str, int]:
    limits = httpx.Limits(max_connections=parallel, max_keepalive_connections=parallel)
    with httpx.Client(limits=limits, timeout=60) as client:

        def status(target: dict[str, Any]) -> int:
            response = client.get(target["url"], headers=target["headers"])
            response.read()
            return response.status_code

        with ThreadPoolExecutor(parallel) as pool:
            statuses = list(pool.map(status, targets))
    return {"requests": len(statuses), "errors": sum(1 for s in statuses if s >= 400)}


def main(argv: list[str]) -> int:
    targets = json.loads(Path(argv[0]).read_text())
    print(json.dumps(fetch_all(targets)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
