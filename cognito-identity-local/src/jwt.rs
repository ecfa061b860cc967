//! OpenID tokens: JWTs signed with ES256 by a key made at start-up.

use awsgen_rt::codegen::serde_json::{self, json, Map, Value};
use ring::signature::{
    EcdsaKeyPair, KeyPair, UnparsedPublicKey, ECDSA_P256_SHA256_FIXED,
    ECDSA_P256_SHA256_FIXED_SIGNING,
};

use crate::random::Random;

pub const ISSUER: &str = "https://cognito-identity.amazonaws.com";

pub struct Signer {
    key: EcdsaKeyPair,
    kid: String,
}

fn b64url(data: &[u8]) -> String {
    awsgen_rt::blob::encode(data)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut b64 = text.replace('-', "+").replace('_', "/");
    while b64.len() % 4 != 0 {
        b64.push('=');
    }
    awsgen_rt::blob::decode(&b64).ok()
}

fn json_object(b64: &str) -> Option<Map<String, Value>> {
    match serde_json::from_slice(&b64url_decode(b64)?).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// Decodes the claims of a JWT without checking it (the emulator cannot reach the providers).
pub fn claims(token: &str) -> Option<Map<String, Value>> {
    json_object(token.split('.').nth(1)?)
}

/// Why a token this emulator is asked to accept as its own is refused. The messages are those
/// Cognito gives in its `NotAuthorizedException` ("Invalid login token. ...").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// Not three base64url parts with JSON header and claims, or not an ES256 token.
    Malformed,
    /// Not signed by this emulator's key (forged, altered, or from another instance).
    Signature,
    /// `exp` is not after now.
    Expired { exp: i64, now: i64 },
    /// `iss` is not Cognito's.
    Issuer,
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenError::Malformed => f.write_str("Not a valid OpenId Connect identity token."),
            TokenError::Signature => f.write_str("Token signature invalid."),
            TokenError::Expired { exp, now } => write!(f, "Token expired: {now} >= {exp}"),
            TokenError::Issuer => f.write_str("Issuer is not cognito-identity.amazonaws.com."),
        }
    }
}

impl Signer {
    pub fn new(random: &Random) -> Result<Signer, String> {
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, random.ring())
            .map_err(|e| e.to_string())?;
        let key = EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            pkcs8.as_ref(),
            random.ring(),
        )
        .map_err(|e| e.to_string())?;
        let kid = format!("local-{}", &random.uuid()[..8]);
        Ok(Signer { key, kid })
    }

    /// Checks a token this signer issued: its form, its ES256 signature by this key, its issuer
    /// and that it has not expired at `now`; returns its claims. Whose token it is (`sub`, `aud`)
    /// is for the caller to check.
    pub fn verify(&self, token: &str, now: i64) -> Result<Map<String, Value>, TokenError> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let signing_input = &token[..header.len() + 1 + payload.len()];
        let header = json_object(header).ok_or(TokenError::Malformed)?;
        let claims = json_object(payload).ok_or(TokenError::Malformed)?;
        let signature = b64url_decode(signature).ok_or(TokenError::Malformed)?;
        if header.get("alg").and_then(Value::as_str) != Some("ES256") {
            return Err(TokenError::Malformed);
        }
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, self.key.public_key().as_ref())
            .verify(signing_input.as_bytes(), &signature)
            .map_err(|_| TokenError::Signature)?;
        if claims.get("iss").and_then(Value::as_str) != Some(ISSUER) {
            return Err(TokenError::Issuer);
        }
        let exp = claims
            .get("exp")
            .and_then(Value::as_i64)
            .ok_or(TokenError::Malformed)?;
        if now >= exp {
            return Err(TokenError::Expired { exp, now });
        }
        Ok(claims)
    }

    /// The public key that checks the tokens, as a JWK.
    pub fn jwk(&self) -> String {
        // Uncompressed point: 0x04 || x (32 bytes) || y (32 bytes).
        let point = self.key.public_key().as_ref();
        let (x, y) = if point.len() == 65 {
            (&point[1..33], &point[33..])
        } else {
            (&point[..0], &point[..0])
        };
        json!({"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": self.kid, "x": b64url(x), "y": b64url(y)}).to_string()
    }

    /// A token for `identity_id` in `pool_id`, valid for `seconds` from `now`.
    pub fn token(
        &self,
        random: &Random,
        identity_id: &str,
        pool_id: &str,
        amr: &[String],
        now: i64,
        seconds: i64,
    ) -> String {
        let header = json!({"kid": self.kid, "typ": "JWS", "alg": "ES256"});
        let claims = json!({
            "sub": identity_id,
            "aud": pool_id,
            "amr": amr,
            "iss": ISSUER,
            "iat": now,
            "exp": now + seconds,
            "https://cognito-identity.amazonaws.com/identity-pool-arn": pool_id,
        });
        let signing_input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let signature = self
            .key
            .sign(random.ring(), signing_input.as_bytes())
            .map(|s| b64url(s.as_ref()))
            .unwrap_or_default();
        format!("{signing_input}.{signature}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_signer() -> (Signer, Random) {
        let random = Random::new();
        (Signer::new(&random).unwrap(), random)
    }

    const NOW: i64 = 1_700_000_000;

    #[test]
    fn a_token_verifies_with_its_own_signer_only() {
        let (signer, random) = new_signer();
        let token = signer.token(&random, "us-east-1:id", "us-east-1:pool", &[], NOW, 600);
        let claims = signer.verify(&token, NOW + 1).unwrap();
        assert_eq!(claims["sub"], "us-east-1:id");
        assert_eq!(claims["aud"], "us-east-1:pool");
        let (other, _) = new_signer();
        assert_eq!(other.verify(&token, NOW + 1), Err(TokenError::Signature));
    }

    #[test]
    fn expired_altered_and_malformed_tokens_are_refused() {
        let (signer, random) = new_signer();
        let token = signer.token(&random, "us-east-1:id", "us-east-1:pool", &[], NOW, 600);
        assert_eq!(
            signer.verify(&token, NOW + 600),
            Err(TokenError::Expired {
                exp: NOW + 600,
                now: NOW + 600
            })
        );
        // The same signature over other claims (another identity) does not verify.
        let parts: Vec<&str> = token.split('.').collect();
        let forged_claims = b64url(
            json!({"sub": "us-east-1:other", "aud": "us-east-1:pool", "iss": ISSUER, "exp": NOW + 600})
                .to_string()
                .as_bytes(),
        );
        let forged = format!("{}.{forged_claims}.{}", parts[0], parts[2]);
        assert_eq!(signer.verify(&forged, NOW), Err(TokenError::Signature));
        let unsigned = format!("{}.{}.", parts[0], parts[1]);
        assert_eq!(signer.verify(&unsigned, NOW), Err(TokenError::Signature));
        for bad in ["", "a.b", "a.b.c.d", "not-a-jwt", "..", "e30.e30.e30"] {
            assert_eq!(signer.verify(bad, NOW), Err(TokenError::Malformed), "{bad}");
        }
    }
}
