"""What the peer scripts beside this file share: a boto3 client of the local server, named
checks that all run and are reported, a closing 'N passed, M failed' line, and AWS error codes
as botocore parses them."""

import base64
import json
import sys
import traceback

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError


def client(endpoint, **keys):
    """A cognito-identity client of ENDPOINT that does not retry; unsigned without keys."""
    config = Config(retries={"max_attempts": 1}, **({} if keys else {"signature_version": UNSIGNED}))
    return boto3.client("cognito-identity", endpoint_url=endpoint, region_name="us-east-1", config=config, **keys)

PASSED = []
FAILED = []


def check(name):
    def wrap(fn):
        try:
            fn()
            PASSED.append(name)
            print(f"ok      {name}")
        except Exception:  # noqa: BLE001 - every failure is reported, none stops the others
            FAILED.append(name)
            print(f"FAILED  {name}\n{traceback.format_exc()}")
        return fn
    return wrap


def error(fn, *args, **kwargs):
    """(code, message, HTTP status) of the ClientError that fn raises."""
    try:
        fn(*args, **kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("Message", ""), e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError("expected an error")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt_claims(token):
    payload = token.split(".")[1]
    payload += "=" * (-len(payload) % 4)
    return json.loads(base64.urlsafe_b64decode(payload))


def finish(title):
    print(f"{title}: {len(PASSED)} passed, {len(FAILED)} failed")
    sys.exit(1 if FAILED else 0)
