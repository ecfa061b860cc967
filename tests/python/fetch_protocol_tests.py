"""Fetches botocore's test vectors into .cache/ (pinned version, checked sha256).

Usage: python3 fetch_protocol_tests.py DEST_DIR
Downloads the botocore source distribution with pip (so no registry address lives here),
checks its sha256, and extracts into DEST_DIR every protocol suite of tests/unit/protocols/
(input/ and output/ for each protocol, legacy/{input,output}/), the ignore list, and every
service's endpoint tests, tests/functional/endpoint-rules/<service>/endpoint-tests-1.json, as
endpoint-rules/<service>/endpoint-tests-1.json (only the source distribution has these), with
the service's rule set (its latest API version's endpoint-rule-set-1.json) beside
them and botocore/data/partitions.json as endpoint-rules/partitions.json.
"""

import gzip
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
    "input/rest-json.json",
    "output/rest-json.json",
    "legacy/input/rest-json.json",
    "legacy/output/rest-json.json",
    "protocol-tests-ignore-list.json",
]


# Written last: says the endpoint tests and rule sets were extracted whole.
ENDPOINT_STAMP = "endpoint-rules/.complete"
ENDPOINT_DONE = f"{VERSION} tests and rule sets"


def main() -> int:
    dest = sys.argv[1]
    stamp = os.path.join(dest, ENDPOINT_STAMP)
    if all(os.path.exists(os.path.join(dest, w)) for w in WANTED) and os.path.exists(stamp) \
            and open(stamp).read().startswith(ENDPOINT_DONE):
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
                tar.getmember(prefix + w)  # each suite the tests run must be there
            # Every protocol's suites, the ones not run yet too.
            for member in tar.getmembers():
                if not (member.isfile() and member.name.startswith(prefix)
                        and member.name.endswith(".json")):
                    continue
                data = tar.extractfile(member).read()
                out = os.path.join(dest, member.name[len(prefix):])
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with open(out, "wb") as f:
                    f.write(data)
            tests = f"botocore-{VERSION}/tests/functional/endpoint-rules/"
            data = f"botocore-{VERSION}/botocore/data/"
            count = 0
            rule_sets = {}
            for member in tar.getmembers():
                name = member.name
                if not member.isfile():
                    continue
                if name.startswith(tests) and name.endswith("/endpoint-tests-1.json"):
                    out = os.path.join(dest, "endpoint-rules", name[len(tests):])
                    os.makedirs(os.path.dirname(out), exist_ok=True)
                    with open(out, "wb") as f:
                        f.write(tar.extractfile(member).read())
                    count += 1
                elif name == data + "partitions.json":
                    os.makedirs(os.path.join(dest, "endpoint-rules"), exist_ok=True)
                    with open(os.path.join(dest, "endpoint-rules", "partitions.json"), "wb") as f:
                        f.write(tar.extractfile(member).read())
                elif name.startswith(data) and name.endswith(("/endpoint-rule-set-1.json", "/endpoint-rule-set-1.json.gz")):
                    service, api = name[len(data):].split("/")[:2]
                    if api > rule_sets.get(service, ("", None))[0]:
                        rule_sets[service] = (api, member)
            for service, (_, member) in rule_sets.items():
                out = os.path.join(dest, "endpoint-rules", service, "endpoint-rule-set-1.json")
                os.makedirs(os.path.dirname(out), exist_ok=True)
                raw = tar.extractfile(member).read()
                with open(out, "wb") as f:
                    # The source distribution keeps them plain; the wheel gzipped.
                    f.write(gzip.decompress(raw) if member.name.endswith(".gz") else raw)
            with open(stamp, "w") as f:
                f.write(f"{ENDPOINT_DONE}: {count} services' tests, {len(rule_sets)} rule sets\n")
    print(f"protocol test vectors and {count} services' endpoint tests of botocore {VERSION} in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
