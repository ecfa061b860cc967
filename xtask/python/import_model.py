"""Imports one service's model into model/ in the project's formatting.

Usage: python3 import_model.py SERVICE MODEL_DIR (--botocore-version V | --from PATH)
PATH may be a service-2.json, a .json.gz, a botocore wheel (.whl) or source distribution
(.tar.gz). With --botocore-version the wheel is downloaded with pip, or the source distribution
for versions that have no wheel (before 1.0.0). Writes
<service>-<api-version>.normal.json, .paginators.json and .endpoint-rule-set.json (when the
release has them), .source.json, and the release's partitions.json (the partitions every rule set
refers to), and prints the model's file name. Next to a plain service-2.json, the rule set is
read from endpoint-rule-set-1.json(.gz) beside it and partitions.json from botocore/data/, two
levels up. Exits 2 with a message on bad input.
"""

import glob
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def load_json(data, what):
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        fail(f"{what} is not JSON: {e}")


def pick(files, service):
    """From {path: bytes-loader} of an archive, the latest API version of the service."""
    prefix = f"botocore/data/{service}/"
    versions = sorted({p[len(prefix):].split("/")[0] for p in files if p.startswith(prefix) and "/service-2.json" in p})
    if not versions:
        if any(p.startswith("botocore/data/aws/") for p in files):
            fail("this botocore keeps its models under botocore/data/aws/, the layout before 0.107.0, which is not read here")
        known = sorted({p.split("/")[2] for p in files if p.startswith("botocore/data/") and p.count("/") >= 4})
        hint = f" (did you mean one of {', '.join(k for k in known if service[:4] in k)[:200]}?)" if known else ""
        fail(f"no service named {service!r} in this botocore{hint}")
    api = versions[-1]
    base = f"{prefix}{api}/"
    model_path = next((base + n for n in ("service-2.json.gz", "service-2.json") if base + n in files), None)
    raw = files[model_path]()
    if model_path.endswith(".gz"):
        raw = gzip.decompress(raw)
    # Paginators and rule sets, like the model, may be stored plain or gzipped.
    return raw, side(files, base + "paginators-1.json"), side(files, base + "endpoint-rule-set-1.json"), side(files, "botocore/data/partitions.json")


def side(files, path):
    """The bytes of PATH or PATH.gz in {path: bytes-loader}, or None."""
    if path + ".gz" in files:
        return gzip.decompress(files[path + ".gz"]())
    if path in files:
        return files[path]()
    return None


def download(version):
    """The botocore wheel of VERSION, or its source distribution when it has none."""
    tmp = tempfile.mkdtemp()
    err = ""
    for how in (["--only-binary", ":all:"], ["--no-binary", ":all:"]):
        r = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", *how,
                            f"botocore=={version}", "-d", tmp], capture_output=True, text=True)
        found = glob.glob(os.path.join(tmp, "botocore-*"))
        if r.returncode == 0 and found:
            return found[0]
        err = (r.stderr.strip().splitlines() or ["pip failed"])[-1]
    fail(f"cannot download botocore {version}: {err}")


def from_archive(path, service):
    if path.endswith(".whl") or zipfile.is_zipfile(path):
        z = zipfile.ZipFile(path)
        files = {n: (lambda n=n: z.read(n)) for n in z.namelist()}
        return pick(files, service)
    t = tarfile.open(path)
    files = {}
    for m in t.getmembers():
        if m.isfile() and "/botocore/data/" in "/" + m.name:
            rel = m.name[m.name.index("botocore/data/"):]
            files[rel] = (lambda m=m: t.extractfile(m).read())
    return pick(files, service)


def main():
    if len(sys.argv) != 5 or sys.argv[3] not in ("--botocore-version", "--from"):
        fail(__doc__.strip().splitlines()[2])
    service, dest, how, arg = sys.argv[1:5]
    if how == "--botocore-version":
        archive = download(arg)
        raw, pag, rules, partitions = from_archive(archive, service)
        source = {"botocore": arg, "file": os.path.basename(archive), "sha256": hashlib.sha256(open(archive, "rb").read()).hexdigest()}
    else:
        if not os.path.exists(arg):
            fail(f"cannot read {arg}: no such file")
        try:
            blob = open(arg, "rb").read()
        except OSError as e:
            fail(f"cannot read {arg}: {e}")
        source = {"file": os.path.basename(arg), "sha256": hashlib.sha256(blob).hexdigest()}
        if arg.endswith((".whl", ".tar.gz", ".tgz")) or zipfile.is_zipfile(io.BytesIO(blob)):
            raw, pag, rules, partitions = from_archive(arg, service)
        else:
            raw = gzip.decompress(blob) if blob[:2] == b"\x1f\x8b" else blob
            here = os.path.dirname(os.path.abspath(arg))
            near = {}
            for name in ("paginators-1.json", "endpoint-rule-set-1.json"):
                for n in (name, name + ".gz"):
                    if os.path.exists(os.path.join(here, n)):
                        near[n] = (lambda n=n: open(os.path.join(here, n), "rb").read())
            data = os.path.dirname(os.path.dirname(here))
            for n in ("partitions.json", "partitions.json.gz"):
                if os.path.exists(os.path.join(data, n)):
                    near["botocore/data/" + n] = (lambda n=n: open(os.path.join(data, n), "rb").read())
            pag, rules = side(near, "paginators-1.json"), side(near, "endpoint-rule-set-1.json")
            partitions = side(near, "botocore/data/partitions.json")
    model = load_json(raw, "the model")
    meta = model.get("metadata") if isinstance(model, dict) else None
    if not isinstance(meta, dict) or "operations" not in model or "shapes" not in model:
        fail("this is not a botocore service model (no metadata, operations and shapes)")
    uid = meta.get("uid") or ""
    names = {meta.get("endpointPrefix"), uid.rsplit("-", 3)[0] if uid else None, (meta.get("serviceId") or "").lower().replace(" ", "-")}
    if service not in names:
        fail(f"this model is {meta.get('serviceId')!r} ({meta.get('endpointPrefix')}), not {service!r}")
    stem = f"{service}-{meta.get('apiVersion')}"
    os.makedirs(dest, exist_ok=True)
    with open(os.path.join(dest, f"{stem}.normal.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(model, indent=2, ensure_ascii=False) + "\n")
    if pag:
        with open(os.path.join(dest, f"{stem}.paginators.json"), "w", encoding="utf-8") as f:
            f.write(json.dumps(load_json(pag, "the paginators"), indent=2, ensure_ascii=False) + "\n")
    # A rule set is evaluated against the partitions of its own release.
    if rules is not None and partitions is None:
        fail("this botocore has an endpoint rule set for the service but no partitions.json")
    if rules is not None:
        for data, name in ((rules, f"{stem}.endpoint-rule-set.json"), (partitions, "partitions.json")):
            with open(os.path.join(dest, name), "w", encoding="utf-8") as f:
                f.write(json.dumps(load_json(data, name), indent=2, ensure_ascii=False) + "\n")
    with open(os.path.join(dest, f"{stem}.source.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(source, indent=2) + "\n")
    print(f"{stem}.normal.json")


if __name__ == "__main__":
    main()
