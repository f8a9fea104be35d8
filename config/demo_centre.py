"""The demo centre lives in demo_centre.yaml (a centre file, loaded by the importer); this
module reads it once and names the few values the start-up banner and the tests print or
use: the demo password and the fixed device tokens are for the demo only."""
from pathlib import Path

import yaml

PATH = Path(__file__).with_name("demo_centre.yaml")
DATA = yaml.safe_load(PATH.read_text(encoding="utf-8"))

CENTRE = DATA["centre"]
DEMO_PASSWORD = DATA["demo"]["password"]
SERVICES = DATA["services"]
STAFF = DATA["staff"]
DEVICES = [{**d, "token": DATA["demo"]["device_tokens"][d["name"]]} for d in DATA["devices"]]
