"""Screenshots of the demo promise pages for the README, desktop (1 280 px) and phone (390 px):
Eskilstuna 2021 and the constructed example police area 2025–2026 (followup/demo.py).

Run `make run` in one terminal, then `make screenshots` in another.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE_URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).parent / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = [
    ("promise", "/eskilstuna/2021/"),
    ("example-promise", "/lokalpolisomrade-fagersta/2025-2026/"),
]
SIZES = [("desktop", 1280, 1800), ("phone", 390, 2400)]
SHOTS = [
    (f"{name}-{size}.png", path, width, height)
    for name, path in PAGES
    for size, width, height in SIZES
]

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    for name, path, width, height in SHOTS:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(f"{BASE_URL}{path}")
        page.screenshot(path=OUT / name)
        page.close()
    browser.close()
print(f"Wrote {', '.join(shot[0] for shot in SHOTS)} to {OUT}")
