"""Writes the models of a pinned botocore release that the generator speaks into a directory.

Usage: python3 botocore_models.py VERSION DEST_DIR [PROTOCOLS]
Downloads the botocore wheel with pip (so no registry address lives here) into a cache next to
DEST_DIR, and writes every model served in one of PROTOCOLS (comma-separated botocore names,
default `json`) as
`<service>-<api-version>.normal.json`, with its `.paginators.json` and `.endpoint-rule-set.json`
when the release has them, and the release's `partitions.json` once, in the project's model
formatting (json.dumps indent=2, key order kept, trailing newline). Prints the count.

A model qualifies when its `metadata.protocol` is one of them, or when one is among its
`metadata.protocols` (services that name smithy-rpc-v2-cbor first and list json). botocore stored its data as
plain `service-2.json` until it switched to `.json.gz` (1.32-ish); both are read, and so are
paginators in either form.
"""

import glob
import gzip
import json
import os
import subprocess
import sys
import zipfile


def main() -> int:
    version, dest = sys.argv[1], sys.argv[2]
    protocols = sys.argv[3].split(",") if len(sys.argv) > 3 else ["json"]
    stamp = os.path.join(dest, ".complete")
    # The stamp names what was written, so a cache written for other protocols, or before rule
    # sets were, is redone.
    done = f"{version} with endpoint rule sets, protocols {','.join(protocols)}"
    if os.path.exists(stamp) and open(stamp).read() == done:
        return 0
    wheels = os.path.join(os.path.dirname(os.path.abspath(dest)), "wheels")
    os.makedirs(wheels, exist_ok=True)
    wheel = os.path.join(wheels, f"botocore-{version}-py3-none-any.whl")
    if not os.path.exists(wheel):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
             f"botocore=={version}", "-d", wheels],
            check=True,
        )
    os.makedirs(dest, exist_ok=True)
    for old in glob.glob(os.path.join(dest, "*.json")):
        os.remove(old)
    count = 0
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())

        def read(base):
            """The JSON of `base` or `base.gz`, or None."""
            if base + ".gz" in names:
                return json.loads(gzip.decompress(z.read(base + ".gz")))
            if base in names:
                return json.loads(z.read(base))
            return None

        dirs = sorted({n.rsplit("/", 1)[0] for n in names
                       if n.startswith("botocore/data/") and n.rsplit("/", 1)[1] in ("service-2.json", "service-2.json.gz")})
        for d in dirs:
            parts = d.split("/")
            if len(parts) != 4:
                continue
            service, api = parts[2], parts[3]
            model = read(f"{d}/service-2.json")
            metadata = model.get("metadata", {})
            offered = [metadata.get("protocol")] + metadata.get("protocols", [])
            if not any(p in protocols for p in offered):
                continue
            stem = f"{service}-{api}"
            with open(os.path.join(dest, f"{stem}.normal.json"), "w", encoding="utf-8") as f:
                f.write(json.dumps(model, indent=2, ensure_ascii=False) + "\n")
            for side, suffix in (("paginators-1.json", "paginators"), ("endpoint-rule-set-1.json", "endpoint-rule-set")):
                data = read(f"{d}/{side}")
                if data is not None:
                    with open(os.path.join(dest, f"{stem}.{suffix}.json"), "w", encoding="utf-8") as f:
                        f.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
            count += 1
        partitions = read("botocore/data/partitions.json")
        if partitions is not None:
            with open(os.path.join(dest, "partitions.json"), "w", encoding="utf-8") as f:
                f.write(json.dumps(partitions, indent=2, ensure_ascii=False) + "\n")
    with open(stamp, "w") as f:
        f.write(done)
    print(f"{count} models of botocore {version} in {dest} ({', '.join(protocols)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
