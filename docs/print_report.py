"""The README's picture of the printed yearly report: the Eskilstuna 2021 workbook as
LibreOffice prints it (A4), first page at 60 dpi. Needs `make run` serving in another terminal,
and `soffice` and `pdftoppm` (apt-get install -y libreoffice-calc-nogui poppler-utils).
"""

import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

# LibreOffice formats numbers as its locale says: Swedish, as an official's would ("2 483").
SWEDISH = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>sv-SE</value></prop></item>
</oor:items>
"""
BASE_URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).parent / "screenshots" / "yearly-report-print"

with tempfile.TemporaryDirectory() as folder:
    source = Path(folder) / "rapport.xlsx"
    with urllib.request.urlopen(f"{BASE_URL}/eskilstuna/2021/rapport/2021.xlsx") as response:
        source.write_bytes(response.read())
    profile = Path(folder) / "lo-profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(SWEDISH)
    command = ["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}"]
    command += ["--convert-to", "pdf", "--outdir", folder, str(source)]
    subprocess.run(command, check=True, capture_output=True)
    pdf = Path(folder) / "rapport.pdf"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(OUT)], check=True
    )
print(f"Wrote {OUT}-1.png and {OUT}-2.png")
