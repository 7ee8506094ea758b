"""Reads shared config files with botocore's own reader, as the reference INIFile must match.

Reads JSON from stdin: a list of file paths; prints a JSON list with, for each, the sections
botocore's raw_config_parse finds ({section: {key: raw value}}), or null when it rejects the file.
"""

import json
import sys

try:
    import botocore.configloader as configloader
    import botocore.exceptions as exceptions
except ImportError as error:
    sys.stderr.write(f"botocore is not importable ({error}); install it with: pip install botocore\n")
    sys.exit(3)


def parse(path):
    try:
        # Nested values stay as their raw text, which is what INIFile keeps...
        sections = configloader.raw_config_parse(path, parse_subsections=False)
    except exceptions.ConfigParseError:
        return None
    try:
        # ...but that skips botocore's check of them, so it reads the file again with it.
        configloader.raw_config_parse(path)
    except Exception:
        return None
    return sections


print(json.dumps([parse(path) for path in json.load(sys.stdin)]))
