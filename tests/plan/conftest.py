from __future__ import annotations

import sys
from pathlib import Path

# The reading tests' emulator kit (seed, specs, vendor-API helpers) serves these tests too.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reading"))
