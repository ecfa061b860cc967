"""boto3 against cognito-identity-local: every operation, the ListIdentityPools paginator over
more than 60 pools, error codes as botocore parses them, and raw-HTTP cases with the server
still up after each.

Usage: python boto3_local.py ENDPOINT_URL
Prints one line per check and a closing 'N passed, M failed'; exits 1 on any failure.
"""

import json
import sys
import urllib.error
import urllib.request

from peer_checks import check, client, finish, jwt_claims
from peer_checks import error as error_code

ENDPOINT = sys.argv[1]


ci = client(ENDPOINT, aws_access_key_id="AKIDLOCAL", aws_secret_access_key="local-secret")


state = {}


@check("create, describe, update (rename) and list identity pools")
def pools():
    p = ci.create_identity_pool(
        IdentityPoolName="boto3 pool",
        AllowUnauthenticatedIdentities=True,
        SupportedLoginProviders={"graph.facebook.com": "12345"},
        DeveloperProviderName="login.example",
        IdentityPoolTags={"team": "identity"},
    )
    state["pool"] = p["IdentityPoolId"]
    assert p["IdentityPoolId"].startswith("us-east-1:"), p
    d = ci.describe_identity_pool(IdentityPoolId=state["pool"])
    assert d["IdentityPoolName"] == "boto3 pool" and d["AllowUnauthenticatedIdentities"] is True, d
    u = ci.update_identity_pool(
        IdentityPoolId=state["pool"],
        IdentityPoolName="renamed pool",
        AllowUnauthenticatedIdentities=True,
        SupportedLoginProviders={"graph.facebook.com": "12345"},
        DeveloperProviderName="login.example",
    )
    assert u["IdentityPoolName"] == "renamed pool", u
    assert ci.describe_identity_pool(IdentityPoolId=state["pool"])["IdentityPoolName"] == "renamed pool"


@check("ListIdentityPools paginator over more than 60 pools")
def paginator():
    for i in range(64):
        ci.create_identity_pool(IdentityPoolName=f"bulk-{i}", AllowUnauthenticatedIdentities=False)
    pages = list(ci.get_paginator("list_identity_pools").paginate(PaginationConfig={"PageSize": 25}))
    pools = [p for page in pages for p in page["IdentityPools"]]
    assert len(pools) == 65, len(pools)
    assert len(pages) == 3, [len(p["IdentityPools"]) for p in pages]
    assert len({p["IdentityPoolId"] for p in pools}) == 65
    first = ci.list_identity_pools(MaxResults=60)
    assert len(first["IdentityPools"]) == 60 and "NextToken" in first
    rest = ci.list_identity_pools(MaxResults=60, NextToken=first["NextToken"])
    assert len(rest["IdentityPools"]) == 5 and "NextToken" not in rest


@check("GetId, GetOpenIdToken and GetCredentialsForIdentity, unauthenticated and with logins")
def identities():
    pool = state["pool"]
    anon = ci.get_id(IdentityPoolId=pool)["IdentityId"]
    token = ci.get_open_id_token(IdentityId=anon)["Token"]
    claims = jwt_claims(token)
    assert claims["sub"] == anon and claims["aud"] == pool and claims["iss"] == "https://cognito-identity.amazonaws.com", claims
    assert claims["exp"] - claims["iat"] == 600, claims
    code, _, _ = error_code(ci.get_credentials_for_identity, IdentityId=anon)
    assert code == "InvalidIdentityPoolConfigurationException", code
    ci.set_identity_pool_roles(
        IdentityPoolId=pool,
        Roles={"authenticated": "arn:aws:iam::123456789012:role/auth", "unauthenticated": "arn:aws:iam::123456789012:role/unauth"},
    )
    creds = ci.get_credentials_for_identity(IdentityId=anon)["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA") and len(creds["SecretKey"]) == 40 and creds["SessionToken"], creds
    assert creds["Expiration"].timestamp() > 0
    fb = ci.get_id(IdentityPoolId=pool, Logins={"graph.facebook.com": "fb-user-1"})["IdentityId"]
    assert fb != anon
    assert ci.get_id(IdentityPoolId=pool, Logins={"graph.facebook.com": "fb-user-1"})["IdentityId"] == fb
    ci.get_credentials_for_identity(IdentityId=fb, Logins={"graph.facebook.com": "fb-user-1"})
    state["fb"] = fb
    code, _, status = error_code(ci.get_credentials_for_identity, IdentityId=fb)
    assert (code, status) == ("NotAuthorizedException", 400), code


@check("roles and role mappings (Rules, MatchType, AmbiguousRoleResolution)")
def roles():
    pool = state["pool"]
    mapping = {
        "graph.facebook.com": {
            "Type": "Rules",
            "AmbiguousRoleResolution": "Deny",
            "RulesConfiguration": {"Rules": [{"Claim": "sub", "MatchType": "StartsWith", "Value": "admin", "RoleARN": "arn:aws:iam::123456789012:role/admin"}]},
        }
    }
    ci.set_identity_pool_roles(IdentityPoolId=pool, Roles={"authenticated": "arn:aws:iam::123456789012:role/auth"}, RoleMappings=mapping)
    got = ci.get_identity_pool_roles(IdentityPoolId=pool)
    assert got["RoleMappings"] == mapping, got
    assert got["Roles"] == {"authenticated": "arn:aws:iam::123456789012:role/auth"}
    code, _, _ = error_code(ci.get_credentials_for_identity, IdentityId=state["fb"], Logins={"graph.facebook.com": "fb-user-1"})
    assert code == "NotAuthorizedException", "Deny when no rule matches"
    bad = {"graph.facebook.com": {"Type": "Rules"}}
    code, _, _ = error_code(ci.set_identity_pool_roles, IdentityPoolId=pool, Roles={}, RoleMappings=bad)
    assert code == "InvalidParameterException", code


@check("developer identities: token, lookup, merge, unlink")
def developer():
    pool = state["pool"]
    a = ci.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.example": "user-a"}, TokenDuration=3600)
    claims = jwt_claims(a["Token"])
    assert claims["exp"] - claims["iat"] == 3600 and claims["sub"] == a["IdentityId"], claims
    b = ci.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.example": "user-b"})
    look = ci.lookup_developer_identity(IdentityPoolId=pool, DeveloperUserIdentifier="user-a")
    assert look["IdentityId"] == a["IdentityId"] and look["DeveloperUserIdentifierList"] == ["user-a"], look
    code, _, _ = error_code(ci.get_open_id_token_for_developer_identity, IdentityPoolId=pool, IdentityId=b["IdentityId"], Logins={"login.example": "user-a"})
    assert code == "DeveloperUserAlreadyRegisteredException", code
    merged = ci.merge_developer_identities(
        SourceUserIdentifier="user-b", DestinationUserIdentifier="user-a", DeveloperProviderName="login.example", IdentityPoolId=pool
    )
    assert merged["IdentityId"] == a["IdentityId"]
    ci.unlink_developer_identity(IdentityId=a["IdentityId"], IdentityPoolId=pool, DeveloperProviderName="login.example", DeveloperUserIdentifier="user-a")
    code, _, _ = error_code(ci.lookup_developer_identity, IdentityPoolId=pool, DeveloperUserIdentifier="user-a")
    assert code == "ResourceNotFoundException", code


@check("describe, list, unlink and delete identities")
def identity_admin():
    pool = state["pool"]
    d = ci.describe_identity(IdentityId=state["fb"])
    assert d["Logins"] == ["graph.facebook.com"] and d["CreationDate"] and d["LastModifiedDate"], d
    listed = ci.list_identities(IdentityPoolId=pool, MaxResults=2)
    assert len(listed["Identities"]) == 2 and "NextToken" in listed, listed
    ci.unlink_identity(IdentityId=state["fb"], Logins={"graph.facebook.com": "fb-user-1"}, LoginsToRemove=["graph.facebook.com"])
    assert ci.describe_identity(IdentityId=state["fb"])["Logins"] == []
    out = ci.delete_identities(IdentityIdsToDelete=[state["fb"]])
    assert out["UnprocessedIdentityIds"] == []
    code, _, _ = error_code(ci.describe_identity, IdentityId=state["fb"])
    assert code == "ResourceNotFoundException"


@check("principal tags and resource tags")
def tags():
    pool = state["pool"]
    default = ci.get_principal_tag_attribute_map(IdentityPoolId=pool, IdentityProviderName="graph.facebook.com")
    assert default["UseDefaults"] is True, default
    s = ci.set_principal_tag_attribute_map(IdentityPoolId=pool, IdentityProviderName="graph.facebook.com", UseDefaults=False, PrincipalTags={"dept": "custom:dept"})
    assert s["PrincipalTags"] == {"dept": "custom:dept"} and s["UseDefaults"] is False
    got = ci.get_principal_tag_attribute_map(IdentityPoolId=pool, IdentityProviderName="graph.facebook.com")
    assert got["PrincipalTags"] == {"dept": "custom:dept"}, got
    arn = f"arn:aws:cognito-identity:us-east-1:123456789012:identitypool/{pool}"
    ci.tag_resource(ResourceArn=arn, Tags={"env": "test"})
    assert ci.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "identity", "env": "test"}
    ci.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert ci.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "test"}


@check("errors as botocore parses them")
def errors():
    code, msg, status = error_code(ci.describe_identity_pool, IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000")
    assert (code, status) == ("ResourceNotFoundException", 400) and msg, (code, msg)
    code, msg, status = error_code(ci.describe_identity_pool, IdentityPoolId="not-an-id")
    assert (code, status) == ("ValidationException", 400), code
    assert msg.startswith("1 validation error detected: Value 'not-an-id' at 'identityPoolId'"), msg


@check("delete an identity pool")
def delete():
    ci.delete_identity_pool(IdentityPoolId=state["pool"])
    code, _, _ = error_code(ci.describe_identity_pool, IdentityPoolId=state["pool"])
    assert code == "ResourceNotFoundException"


def raw(target, body, content_type="application/x-amz-json-1.1"):
    headers = {"Content-Type": content_type} if content_type else {}
    if target:
        headers["X-Amz-Target"] = target
    req = urllib.request.Request(ENDPOINT + "/", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def alive():
    status, body = raw("AWSCognitoIdentityService.ListIdentityPools", b'{"MaxResults": 1}')
    assert status == 200, (status, body)


@check("raw HTTP: unknown target, malformed JSON, wrong content type, oversized body, empty body")
def raw_http():
    cases = [
        (("AWSCognitoIdentityService.Nope", b"{}"), (400, "UnknownOperationException")),
        ((None, b"{}"), (400, "UnknownOperationException")),
        (("AWSCognitoIdentityService.ListIdentityPools", b"{not json"), (400, "SerializationException")),
        (("AWSCognitoIdentityService.ListIdentityPools", b'{"MaxResults": 1}', "text/plain"), (415, "UnsupportedMediaTypeException")),
        (("AWSCognitoIdentityService.ListIdentityPools", b'{"IdentityPoolName": "' + b"x" * (20 * 1024 * 1024) + b'"}'), (413, "RequestEntityTooLargeException")),
        (("AWSCognitoIdentityService.ListIdentityPools", b""), (400, "ValidationException")),
    ]
    for args, (want_status, want_code) in cases:
        try:
            status, body = raw(*args)
        except (ConnectionResetError, BrokenPipeError, urllib.error.URLError) as e:
            # A server may close the connection after refusing a body it will not read.
            assert want_status == 413, (args[0], e)
        else:
            assert (status, body.get("__type")) == (want_status, want_code), (args[0], status, body)
        alive()


finish("boto3 against cognito-identity-local")
