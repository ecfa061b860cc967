"""Fetches botocore's awsJson protocol test vectors into .cache/ (pinned version, checked sha256).

Usage: python3 fetch_protocol_tests.py DEST_DIR
Downloads the botocore source distribution with pip (so no registry address lives here),
checks its sha256, and extracts the awsJson suites of tests/unit/protocols/ (input/ and output/
json*.json, legacy/{input,output}/json.json) and the ignore list into DEST_DIR.
"""

import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile

VERSION = "1.44.5"
SHA256 = "a988f39e3a4484def0b8010f41128f71157da0515a4804fccce4739aa8f216da"
WANTED = [
    "input/json.json",
    "input/json_1_0.json",
    "output/json.json",
    "output/json_1_0.json",
    "input/json_1_0-query-compatible.json",
    "output/json_1_0-query-compatible.json",
    "legacy/input/json.json",
    "legacy/output/json.json",
    "protocol-tests-ignore-list.json",
]


def main() -> int:
    dest = sys.argv[1]
    if all(os.path.exists(os.path.join(dest, w)) for w in WANTED):
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
             f"botocore=={VERSION}", "-d", tmp],
            check=True,
        )
        archive = os.path.join(tmp, f"botocore-{VERSION}.tar.gz")
        digest = hashlib.sha256(open(archive, "rb").read()).hexdigest()
        if digest != SHA256:
            print(f"botocore-{VERSION}.tar.gz has sha256 {digest}, expected {SHA256}", file=sys.stderr)
            return 1
        prefix = f"botocore-{VERSION}/tests/unit/protocols/"
        with tarfile.open(archive) as tar:
            for w in WANTED:
                member = tar.getmember(prefix + w)
                data = tar.extractfile(member).read()
                out = os.path.join(dest, w)
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with open(out, "wb") as f:
                    f.write(data)
    print(f"protocol test vectors of botocore {VERSION} in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
