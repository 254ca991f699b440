"""Screenshots of the Eskilstuna 2021 promise page for the README, desktop and phone.

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
SHOTS = [("promise-desktop.png", 1280, 1800), ("promise-phone.png", 390, 2400)]

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    for name, width, height in SHOTS:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(f"{BASE_URL}/eskilstuna/2021/")
        page.screenshot(path=OUT / name)
        page.close()
    browser.close()
print(f"Wrote {', '.join(name for name, _, _ in SHOTS)} to {OUT}")
