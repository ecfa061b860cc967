"""boto3 against cognito-identity-local: developer-authenticated identities as AWS documents
them. The OpenID tokens the emulator issues are accepted back as the
'cognito-identity.amazonaws.com' login of GetCredentialsForIdentity and GetOpenIdToken (and
forged, expired or foreign ones refused), and MergeDeveloperIdentities really merges.

Usage: python developer_identities.py ENDPOINT_URL
"""

import json
import sys
import time

from peer_checks import b64url, check, client, error, finish, jwt_claims

ENDPOINT = sys.argv[1]
COGNITO = "cognito-identity.amazonaws.com"
DEV = "login.example"

ci = client(ENDPOINT, aws_access_key_id="AKIDDEV", aws_secret_access_key="dev-secret")


def new_pool(name):
    pool = ci.create_identity_pool(
        IdentityPoolName=name,
        AllowUnauthenticatedIdentities=False,
        DeveloperProviderName=DEV,
        SupportedLoginProviders={"graph.facebook.com": "12345"},
    )["IdentityPoolId"]
    ci.set_identity_pool_roles(IdentityPoolId=pool, Roles={"authenticated": "arn:aws:iam::123456789012:role/auth"})
    return pool


POOL = new_pool("developer pool")


def developer(user, pool=POOL, **kwargs):
    return ci.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={DEV: user}, **kwargs)


@check("the enhanced flow: GetCredentialsForIdentity with the token of GetOpenIdTokenForDeveloperIdentity")
def enhanced_flow():
    a = developer("user-a")
    out = ci.get_credentials_for_identity(IdentityId=a["IdentityId"], Logins={COGNITO: a["Token"]})
    assert out["IdentityId"] == a["IdentityId"], out
    assert out["Credentials"]["AccessKeyId"].startswith("ASIA"), out


@check("GetOpenIdToken refreshes a developer identity's token, which works in turn")
def refresh():
    a = developer("user-a")
    fresh = ci.get_open_id_token(IdentityId=a["IdentityId"], Logins={COGNITO: a["Token"]})
    claims = jwt_claims(fresh["Token"])
    assert claims["sub"] == a["IdentityId"] and claims["aud"] == POOL, claims
    assert claims["amr"][0] == "authenticated" and DEV in claims["amr"], claims
    ci.get_credentials_for_identity(IdentityId=a["IdentityId"], Logins={COGNITO: fresh["Token"]})


@check("a token of another identity, of another pool, forged, garbled or expired is NotAuthorizedException")
def refused_tokens():
    a = developer("user-a")
    b = developer("user-other")
    other_pool = developer("user-a", pool=new_pool("other pool"))
    header, _, signature = a["Token"].split(".")
    forged_claims = dict(jwt_claims(b["Token"]), sub=a["IdentityId"])
    forged = ".".join([header, b64url(json.dumps(forged_claims).encode()), signature])
    short = developer("user-a", TokenDuration=1)
    time.sleep(2.1)
    for name, token in [("another identity's", b["Token"]), ("another pool's", other_pool["Token"]), ("forged", forged), ("garbled", "not.a.token"), ("expired", short["Token"])]:
        for call in (ci.get_credentials_for_identity, ci.get_open_id_token):
            code, message, status = error(call, IdentityId=a["IdentityId"], Logins={COGNITO: token})
            assert (code, status) == ("NotAuthorizedException", 400), (name, call.__name__, code, message)
            assert message.startswith("Invalid login token."), (name, message)
    code, message, _ = error(ci.get_credentials_for_identity, IdentityId=a["IdentityId"], Logins={COGNITO: short["Token"]})
    assert "expired" in message, message


@check("MergeDeveloperIdentities moves the source user to the destination identity and deletes the source identity")
def merge():
    a = developer("merge-a")["IdentityId"]
    b = developer("merge-b")["IdentityId"]
    assert a != b
    merged = ci.merge_developer_identities(SourceUserIdentifier="merge-b", DestinationUserIdentifier="merge-a", DeveloperProviderName=DEV, IdentityPoolId=POOL)
    assert merged["IdentityId"] == a, merged
    both = ci.lookup_developer_identity(IdentityPoolId=POOL, IdentityId=a)
    assert sorted(both["DeveloperUserIdentifierList"]) == ["merge-a", "merge-b"], both
    assert ci.lookup_developer_identity(IdentityPoolId=POOL, DeveloperUserIdentifier="merge-b")["IdentityId"] == a
    assert ci.get_open_id_token_for_developer_identity(IdentityPoolId=POOL, Logins={DEV: "merge-b"})["IdentityId"] == a
    code, _, _ = error(ci.describe_identity, IdentityId=b)
    assert code == "ResourceNotFoundException", code
    ci.unlink_developer_identity(IdentityId=a, IdentityPoolId=POOL, DeveloperProviderName=DEV, DeveloperUserIdentifier="merge-b")
    left = ci.lookup_developer_identity(IdentityPoolId=POOL, IdentityId=a)
    assert left["DeveloperUserIdentifierList"] == ["merge-a"], left
    code, _, _ = error(ci.lookup_developer_identity, IdentityPoolId=POOL, DeveloperUserIdentifier="merge-b")
    assert code == "ResourceNotFoundException", code
    # "Unlinked developer users will be considered new identities next time they are seen."
    assert developer("merge-b")["IdentityId"] not in (a, b)


@check("two different users of one public provider cannot be merged")
def merge_conflict():
    ci.get_open_id_token_for_developer_identity(IdentityPoolId=POOL, Logins={DEV: "fb-c", "graph.facebook.com": "facebook-user-1"})
    ci.get_open_id_token_for_developer_identity(IdentityPoolId=POOL, Logins={DEV: "fb-d", "graph.facebook.com": "facebook-user-2"})
    code, _, status = error(ci.merge_developer_identities, SourceUserIdentifier="fb-d", DestinationUserIdentifier="fb-c", DeveloperProviderName=DEV, IdentityPoolId=POOL)
    assert (code, status) == ("ResourceConflictException", 400), code
    assert ci.lookup_developer_identity(IdentityPoolId=POOL, DeveloperUserIdentifier="fb-d")["DeveloperUserIdentifierList"] == ["fb-d"], "nothing moved"


finish("developer identities with boto3")
