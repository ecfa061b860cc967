"""boto3 against a generated Smithy RPC v2 CBOR server stub (EventBridge v2, a small in-memory
implementation in tests/tests/eventbridge.rs): CBOR bodies as botocore writes them (definite
maps, integer timestamps under tag 1) and reads them (tagged doubles, byte and text strings),
modelled errors by `__type`, a paginator, the model's constraints checked by the server, and
requests that are not RPC v2 CBOR refused.

Usage: python eventbridge_peer.py ENDPOINT_URL
Prints one line per check and a closing 'N passed, M failed'; exits 1 on any failure.
"""

import datetime
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

events = boto3.client(
    "eventbridgev2",
    endpoint_url=ENDPOINT,
    region_name="us-east-1",
    aws_access_key_id="AKIDEVENTS",
    aws_secret_access_key="events-secret",
)
# What one check leaves for the next: the bus's ARN.
state = {}


@check("botocore speaks RPC v2 CBOR to this service")
def protocol():
    assert events.meta.service_model.resolved_protocol == "smithy-rpc-v2-cbor"


@check("create an event bus; its timestamp comes back with milliseconds")
def create():
    out = events.create_event_bus(
        Name="orders",
        Description="näive 😀",
        StorageConfiguration={"RetentionPeriodInDays": 7},
        Tags={"team": "shop"},
    )
    assert out["Name"] == "orders" and out["State"] == "ACTIVE", out
    assert out["EventBusArn"].startswith("arn:aws:events:us-east-1:123456789012:event-busv2/orders/"), out
    created = out["CreationTime"]
    assert created.timestamp() == 1735787045.25, created
    assert out["StorageConfiguration"]["RetentionPeriodInDays"] == 7, out
    state["arn"] = out["EventBusArn"]


@check("creating it again is ResourceAlreadyExistsException (by __type), with its modelled 409")
def duplicate():
    code, message, status = error(events.create_event_bus, Name="orders")
    assert code == "ResourceAlreadyExistsException" and status == 409, (code, status, message)
    assert "already exists" in message, message


@check("describe reads the bus back, strings intact")
def describe():
    out = events.describe_event_bus(EventBusArn=state["arn"])
    assert out["Description"] == "näive 😀", out
    assert out["StorageConfiguration"]["RetentionPeriodInDays"] == 7, out
    assert out["LastModifiedTime"].year == 2025, out


@check("the paginator walks every page")
def paginate():
    for i in range(4):
        events.create_event_bus(Name=f"bus-{i}")
    pages = events.get_paginator("list_event_buses").paginate(PaginationConfig={"PageSize": 2})
    names = [b["Name"] for page in pages for b in page["EventBuses"]]
    assert names == ["bus-0", "bus-1", "bus-2", "bus-3", "orders"], names


@check("put events: the entry's time (an integer under tag 1) and detail arrive")
def put():
    when = datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    out = events.put_events(
        EventBusArn=state["arn"],
        Entries=[{"Source": "shop", "DetailType": "OrderPlaced", "Detail": '{"id": 1}', "Time": when}],
    )
    assert out["FailedEntryCount"] == 0, out
    assert out["Entries"][0]["EventId"] == f"shop@{int(when.timestamp()) * 1000}/9", out
    assert out["Entries"][0]["SuccessCode"] == "PUBLISHED", out


@check("the server checks the model's constraints: a name outside its pattern")
def invalid():
    code, message, status = error(events.create_event_bus, Name="orders/x")
    assert code == "ValidationException" and status == 400, (code, status, message)
    assert "regular expression pattern" in message, message


@check("delete; then the bus is ResourceNotFoundException; other requests are refused")
def delete():
    events.delete_event_bus(EventBusArn=state["arn"])
    code, message, status = error(events.describe_event_bus, EventBusArn=state["arn"])
    assert code == "ResourceNotFoundException" and status == 404, (code, status, message)
    # Not RPC v2 CBOR: an unknown operation, a request without the smithy-protocol header (both
    # 404, as Smithy's server answers), then a body that says it is JSON (400).
    req = urllib.request.Request(
        ENDPOINT + "/service/AWSEventsV2/operation/NoSuchThing", data=b"\xa0", method="POST",
        headers={"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor"},
    )
    try:
        urllib.request.urlopen(req)
        raise AssertionError("the request succeeded")
    except urllib.error.HTTPError as e:
        assert e.code == 404, e.code
        assert e.headers["smithy-protocol"] == "rpc-v2-cbor", dict(e.headers)
    req = urllib.request.Request(
        ENDPOINT + "/service/AWSEventsV2/operation/ListEventBuses", data=b"\xa0", method="POST",
        headers={"Content-Type": "application/cbor"},
    )
    try:
        urllib.request.urlopen(req)
        raise AssertionError("the request succeeded")
    except urllib.error.HTTPError as e:
        assert e.code == 404, e.code
    req = urllib.request.Request(
        ENDPOINT + "/service/AWSEventsV2/operation/ListEventBuses", data=b"{}", method="POST",
        headers={"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/json"},
    )
    try:
        urllib.request.urlopen(req)
        raise AssertionError("the request succeeded")
    except urllib.error.HTTPError as e:
        assert e.code == 400, e.code


finish("eventbridge boto3 peer")
