"""Fetches botocore's test vectors into .cache/ (pinned version, checked sha256).

Usage: python3 fetch_protocol_tests.py DEST_DIR
Downloads the botocore source distribution with pip (so no registry address lives here),
checks its sha256, and extracts into DEST_DIR the awsJson suites of tests/unit/protocols/
(input/ and output/ json*.json, legacy/{input,output}/json.json), the ignore list, and every
service's endpoint tests, tests/functional/endpoint-rules/<service>/endpoint-tests-1.json, as
endpoint-rules/<service>/endpoint-tests-1.json. Only the source distribution has these.
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


# Written last: its presence says the endpoint tests were extracted whole.
ENDPOINT_STAMP = "endpoint-rules/.complete"


def main() -> int:
    dest = sys.argv[1]
    if all(os.path.exists(os.path.join(dest, w)) for w in WANTED + [ENDPOINT_STAMP]):
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
            rules = f"botocore-{VERSION}/tests/functional/endpoint-rules/"
            count = 0
            for member in tar.getmembers():
                name = member.name
                if member.isfile() and name.startswith(rules) and name.endswith("/endpoint-tests-1.json"):
                    out = os.path.join(dest, "endpoint-rules", name[len(rules):])
                    os.makedirs(os.path.dirname(out), exist_ok=True)
                    with open(out, "wb") as f:
                        f.write(tar.extractfile(member).read())
                    count += 1
            with open(os.path.join(dest, ENDPOINT_STAMP), "w") as f:
                f.write(f"{VERSION} {count}\n")
    print(f"protocol test vectors and {count} services' endpoint tests of botocore {VERSION} in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
