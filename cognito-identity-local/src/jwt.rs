//! OpenID tokens: JWTs signed with ES256 by a key made at start-up.

use awsjson_rt::codegen::serde_json::{self, json, Map, Value};
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};

use crate::random::Random;

pub const ISSUER: &str = "https://cognito-identity.amazonaws.com";

pub struct Signer {
    key: EcdsaKeyPair,
    kid: String,
}

fn b64url(data: &[u8]) -> String {
    awsjson_rt::blob::encode(data)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

/// Decodes the claims of a JWT without checking it (the emulator cannot reach the providers).
pub fn claims(token: &str) -> Option<Map<String, Value>> {
    let payload = token.split('.').nth(1)?;
    let mut b64 = payload.replace('-', "+").replace('_', "/");
    while b64.len() % 4 != 0 {
        b64.push('=');
    }
    let bytes = awsjson_rt::blob::decode(&b64).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
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
