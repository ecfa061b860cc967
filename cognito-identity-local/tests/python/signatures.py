"""boto3 against cognito-identity-local in its default configuration: a signed operation
without a SigV4 signature gets AWS's MissingAuthenticationTokenException (400), a malformed
signature IncompleteSignatureException (400); unsigned operations and well-formed signatures
of any key are served.

Usage: python signatures.py ENDPOINT_URL
"""

import json
import sys
import urllib.error
import urllib.request

from peer_checks import check, client, error, finish

ENDPOINT = sys.argv[1]


anonymous = client(ENDPOINT)
signed = client(ENDPOINT, aws_access_key_id="AKIDANYONE", aws_secret_access_key="whatever")


@check("an unsigned request to a signed operation is MissingAuthenticationTokenException, 400")
def missing():
    code, message, status = error(anonymous.list_identity_pools, MaxResults=5)
    assert (code, message, status) == ("MissingAuthenticationTokenException", "Request is missing Authentication Token", 400), (code, message, status)


@check("the unsigned operations are served without a signature")
def unsigned_operations():
    pool = signed.create_identity_pool(IdentityPoolName="open", AllowUnauthenticatedIdentities=True)["IdentityPoolId"]
    identity = anonymous.get_id(IdentityPoolId=pool)["IdentityId"]
    assert anonymous.get_open_id_token(IdentityId=identity)["Token"]


@check("a well-formed signature of any key is served")
def any_key():
    assert "IdentityPools" in signed.list_identity_pools(MaxResults=5)


@check("a malformed Authorization header is IncompleteSignatureException, 400, in AWS's words")
def malformed():
    req = urllib.request.Request(
        ENDPOINT + "/",
        data=b'{"MaxResults": 5}',
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityService.ListIdentityPools",
            "Authorization": "Bearer some-token",
        },
        method="POST",
    )
    try:
        urllib.request.urlopen(req, timeout=30)
        raise AssertionError("served")
    except urllib.error.HTTPError as e:
        body = json.loads(e.read())
        assert (e.code, body["__type"]) == (400, "IncompleteSignatureException"), (e.code, body)
        assert body["message"].startswith("Authorization header requires 'Credential' parameter."), body
        assert "some-token" not in body["message"], body


finish("signatures with boto3")
