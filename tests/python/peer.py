"""What the boto3 peer scripts share: checks that record their outcome, a call expected to
fail with its error code and status, and the closing 'NAME: N passed, M failed' line."""

import sys
import traceback

from botocore.exceptions import ClientError

results = []


def check(name):
    """Runs the decorated function now, as one check named `name`."""

    def run(f):
        try:
            f()
            results.append(True)
            print(f"ok: {name}")
        except Exception:
            results.append(False)
            print(f"FAILED: {name}")
            traceback.print_exc()
        return f

    return run


def error(call, **kwargs):
    """The error code, HTTP status and exception of a call that must fail."""
    try:
        call(**kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e
    raise AssertionError("the call succeeded")


def finish(name):
    """Prints the closing line and exits 1 on any failure."""
    passed = sum(results)
    failed = len(results) - passed
    print(f"{name}: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
