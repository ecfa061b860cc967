"""boto3 against a generated restJson1 server stub (Cognito Sync, a small in-memory
implementation in tests/tests/cognito_sync.rs): labels, query strings, a header and JSON bodies
as botocore sends them; outputs and modelled errors (with their HTTP status) as botocore parses
them; the model's constraints checked by the server; unknown routes answered 404.

Usage: python cognito_sync_peer.py ENDPOINT_URL
Prints one line per check and a closing 'N passed, M failed'; exits 1 on any failure.
"""

import pathlib
import sys
import urllib.error
import urllib.request

import boto3

# The checks the cognito-identity-local peers use (named checks, AWS error codes, the closing
# line), one copy for every boto3 peer of the project.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "cognito-identity-local/tests/python"))
from peer_checks import check, error, finish  # noqa: E402

ENDPOINT = sys.argv[1]
POOL = "us-east-1:00000000-0000-4000-8000-000000000000"
IDENTITY = "us-east-1:11111111-0000-4000-8000-000000000000"

sync = boto3.client(
    "cognito-sync",
    endpoint_url=ENDPOINT,
    region_name="us-east-1",
    aws_access_key_id="AKIDSYNC",
    aws_secret_access_key="sync-secret",
)


@check("update records creates a dataset; list records reads them back")
def records():
    out = sync.update_records(
        IdentityPoolId=POOL,
        IdentityId=IDENTITY,
        DatasetName="settings",
        SyncSessionToken="token-1",
        ClientContext="ctx",
        RecordPatches=[
            {"Op": "replace", "Key": "theme", "Value": "dark", "SyncCount": 0},
            {"Op": "replace", "Key": "lang", "Value": "fr", "SyncCount": 0},
        ],
    )
    assert sorted(r["Key"] for r in out["Records"]) == ["lang", "theme"], out
    listed = sync.list_records(
        IdentityPoolId=POOL, IdentityId=IDENTITY, DatasetName="settings", MaxResults=10
    )
    values = {r["Key"]: r["Value"] for r in listed["Records"]}
    assert values == {"theme": "dark", "lang": "fr"}, listed
    assert listed["DatasetExists"] is True and listed["Count"] == 2, listed
    assert listed["LastModifiedBy"] == "ctx", listed
    # Timestamps travel as epoch seconds in JSON bodies.
    assert all(r["LastModifiedDate"].year >= 2024 for r in listed["Records"]), listed


@check("a remove patch deletes a record; sync counts grow")
def remove():
    out = sync.update_records(
        IdentityPoolId=POOL,
        IdentityId=IDENTITY,
        DatasetName="settings",
        SyncSessionToken="token-2",
        RecordPatches=[{"Op": "remove", "Key": "lang", "SyncCount": 1}],
    )
    assert [r["Key"] for r in out["Records"]] == ["lang"], out
    listed = sync.list_records(IdentityPoolId=POOL, IdentityId=IDENTITY, DatasetName="settings")
    assert [r["Key"] for r in listed["Records"]] == ["theme"], listed
    assert listed["DatasetSyncCount"] == 2, listed


@check("list and describe datasets")
def datasets():
    sync.update_records(
        IdentityPoolId=POOL,
        IdentityId=IDENTITY,
        DatasetName="scores.v2",
        SyncSessionToken="t",
        RecordPatches=[{"Op": "replace", "Key": "best", "Value": "42", "SyncCount": 0}],
    )
    listed = sync.list_datasets(IdentityPoolId=POOL, IdentityId=IDENTITY, MaxResults=5)
    names = sorted(d["DatasetName"] for d in listed["Datasets"])
    assert names == ["scores.v2", "settings"], listed
    d = sync.describe_dataset(IdentityPoolId=POOL, IdentityId=IDENTITY, DatasetName="scores.v2")
    assert d["Dataset"]["NumRecords"] == 1 and d["Dataset"]["IdentityId"] == IDENTITY, d


@check("delete a dataset; then it is a ResourceNotFoundException with HTTP 404")
def delete():
    out = sync.delete_dataset(IdentityPoolId=POOL, IdentityId=IDENTITY, DatasetName="scores.v2")
    assert out["Dataset"]["DatasetName"] == "scores.v2", out
    code, message, status = error(
        sync.describe_dataset, IdentityPoolId=POOL, IdentityId=IDENTITY, DatasetName="scores.v2"
    )
    assert (code, status) == ("ResourceNotFoundException", 404), (code, status, message)
    assert "scores.v2" in message, message


@check("the model's constraints are checked by the server (a label's pattern)")
def validation():
    code, message, status = error(
        sync.describe_dataset, IdentityPoolId=POOL, IdentityId=IDENTITY, DatasetName="bad name!"
    )
    assert (code, status) == ("ValidationException", 400), (code, status, message)
    assert "datasetName" in message, message


@check("an unknown route is a 404 UnknownOperationException; the server keeps serving")
def unknown():
    req = urllib.request.Request(ENDPOINT + "/no/such/route", method="GET")
    try:
        urllib.request.urlopen(req)
        raise AssertionError("the request succeeded")
    except urllib.error.HTTPError as e:
        assert e.code == 404, e.code
        assert e.headers["X-Amzn-ErrorType"] == "UnknownOperationException", dict(e.headers)
    req = urllib.request.Request(
        ENDPOINT + f"/identitypools/{POOL}/identities/{IDENTITY}/datasets", method="PATCH"
    )
    try:
        urllib.request.urlopen(req)
        raise AssertionError("the request succeeded")
    except urllib.error.HTTPError as e:
        assert e.code == 405, e.code
    listed = sync.list_datasets(IdentityPoolId=POOL, IdentityId=IDENTITY)
    assert [d["DatasetName"] for d in listed["Datasets"]] == ["settings"], listed


@check("an operation the implementation does not provide answers NotImplemented")
def not_implemented():
    code, message, status = error(sync.describe_identity_pool_usage, IdentityPoolId=POOL)
    assert code == "NotImplemented" and status == 500, (code, status, message)


finish("cognito-sync boto3 peer")
