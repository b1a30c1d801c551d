//! One known-good token per algorithm: the RFC examples where the RFCs
//! have one (RFC 7515 A.1 to A.3, RFC 7520 §4.2, RFC 8037 A.4), otherwise
//! tokens signed by PyJWT 2.15.1 with the keys of
//! `tests/fixtures/gen/jwt_gen.py` (RS*/PS* with the RFC 7515 A.2 key).

use serde_json::{Value, json};

use super::*;
use crate::jose::compact::{Token, decode};

const A1_HS256: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const A1_KEY: &str =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
const HS384: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzM4NCJ9.eyJzdWIiOiJ1bml0In0.eY2-Jt8tk5DKrgF_7sLbfcc4YSINBoMpwnz1SsJTpxaHn57BzJJQByXwnAqhPwKS";
const HS384_KEY: &str = "B_Vdl9z6qtUetW2FmFnM5cPximOVYxsULfM-OTEjGY_XcIcPp1U6BDFWznjxt2p6";
const HS512: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJ1bml0In0.7B0cmCr-0bWM6R8pAY2hWJ6CB-eaVqtbzRP1btnqtLS6W-LdlwjhB9FNDIlYmh_2y_DKMw-UJ_2q4LadoTlI2A";
const HS512_KEY: &str =
    "kweJNGDvlqkjVFlVw-BvlAKk7sfscjVnJuQV1meWFSZr6bVY19NOkMCouiH0MH8GVyQNzkT9R-gII_T619FTNg";

const A2_RS256: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
const A2_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
const RS384: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzM4NCJ9.eyJzdWIiOiJ1bml0In0.lHQc0dUhpDu2b1tpuH_bBax9X7T1xDHhfmGoz6zT9uAjuUjm6OQAQ32LuOLxfKndet_aFW4DF_jb_Eg4LuJTZeFIjbsszGxRy0pKOMZFXy_Nn6dIv-e10peuL3zuaUh8cy_wWG1xptRIJLCxYe48hNyEcYIxy54JXyxbIidHGSzn2YqRfzRVs5Hhbtr_np1t_KeMJDeOIG60x1olpxdmXDHvwbm-rUxj4L3DkBxt-vbpqvXoyfqVVOu2oWNaEyDNewR2b2e5flny2M62TLPI969w8NTUcWW6Av1-2i9pVBXJsJ55M0rHYcpL5VeaJEqR43jVUip1bZIRxDQhhIm1tQ";
const RS512: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzUxMiJ9.eyJzdWIiOiJ1bml0In0.XmfKLdY_xAu9-btc8G3ll7XIWTJ4BR1Pd6MC_vPRbX91Nkt9GoT5q7yktPtz2SdSL6VbfC_YPJpxlSDudRmmigixSqrqmwl5NknpsblvdzDYq8BmOUCMQ8StHwfn6wxN0J0yhwe-ntg_0kLTz45uXJ0POLRm5LkptVEByop5P_KWMIAUg7EtHTPZLLrHFwPoLYhRGbGU3S97cZ-LWysRlKTKm5jLDRdZR63zr9G8pO8xwk5weVA86N_pOrmJqotJvMKmyMInEB019-6nnQxFTKwFEYMqWWHbofI8Q0wAJwplh63qSYZAe4nY6L-iAhYCNSEDkp17dbEYwjiUlVFKRA";
const PS256: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJQUzI1NiJ9.eyJzdWIiOiJ1bml0In0.kG2iLd51dF-DNVr0E9-WqLwonszv2yv9B8z6Jbl6zNrd87ZWPtFSvbpB5Iu9Nfio7Q9FuDOF-Bb55JY3c1RHrmHK0d8nIsVIJn20VEMr9wFOO45AFmhtM197w0TIOz_BvKt7KJWaqQ-WKyPbJ02ZplavMEPvcKSWDWHW4j5CWxLglSteXfUf5CzXG_Wl82Dw6oZX73S-PrYz0oBmcWPxAx3RmfD4nXiyGI01PgzsDPt-X9uBBqUGODsCxu9kDxnFAIp-8gbyilruEyUgLFC7FyVjQBI8G3VWEoKniUfJDcdcvf_vJ6ksN9GelvZ3qKuJeTZslUYly1czxM9CDFyz3A";
const PS512: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJQUzUxMiJ9.eyJzdWIiOiJ1bml0In0.N9zC0w1GprPGr1eUKRSJYpmcTzSozZoeoYjCq8bZuPcyzIpQWTI1jkQ7wz8s_W4laGOaur1OoIDgRqK4zQEiZcv8nloeHJj6V7ZU3gpKPgFoXiy_NiGCjntviHfA9gSulL5yNwo--EQcuLODSiyukce3ULgM5cK3MhFABRzokUsuzJu6ktp3pN5DYOBC91ulWsz16aFFl0n2hbI3Ccb3dOy4Uy209e8FvUg_B5GxWIJU5kxjMwxvhPbEZBvP8eGn2hcnvzGXmohghMTb2E7_JLm8T_7bUc8TQl9qV2bF4ZtVjy88fOvqgb_qI_VT0-mNDWWFo3iCL4xvokwlxFltyw";

const RFC7520_PS384: &str = "eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4.cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6-tPid6VrklHkqsGqDqHCdP6O8TTB5dDDItllVo6_1OLPpcbUrhiUSMxbbXUvdvWXzg-UD8biiReQFlfz28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRmBqrYRXe8P_ijQ7p8Vdz0TTrxUeT3lm8d9shnr2lfJT8ImUjvAA2Xez2Mlp8cBE5awDzT0qI0n6uiP1aCN_2_jLAeQTlqRHtfa64QQSUmFAAjVKPbByi7xho0uTOcbH510a6GYmJUAfmWjwZ6oD4ifKo8DYM-X72Eaw";
const RFC7520_N: &str = "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw";

const A3_ES256: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
const ES384: &str = "eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiJ1bml0In0.zdamETWWuzq9yoIhsz0RO9cLA52KFxsdy5aQdCj5uDIv0tQHTCWCvCsNhguS86wzrBdzc-F_EKQA14oXG5h7KGFCvns1lG3vubHFgSnbXkU3Pvk5SSKjstuvVy3i8D95";
const RFC8037_EDDSA: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

fn a3_key() -> Value {
    json!({
        "kty": "EC", "crv": "P-256",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
    })
}

fn p384_key() -> Value {
    json!({
        "kty": "EC", "crv": "P-384",
        "x": "INxksAJZ39-qbWNCl05Xz-jSQKg-uOR7QoR6ClIbaZd0fk5RTrqlKm7UvqeitgNs",
        "y": "XJtkkLtOTcsJKP9rSdx2a_xAGW339BsUphrQTl0hJ218z8h7427dvlMCN3Gi_wzt"
    })
}

fn ed25519_key() -> Value {
    json!({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})
}

fn jws(token: &str) -> Jws {
    match decode(token) {
        Ok(Token::Jws(jws)) => jws,
        other => panic!("expected a JWS, got {other:?}"),
    }
}

fn keys(key: Value) -> KeySet {
    KeySet::from_value(&key).expect("test keys are valid")
}

fn verify(token: &str, key: Value) -> Result<Verified, VerifyError> {
    let jws = jws(token);
    let alg = jws.algorithm().expect("test tokens use known algorithms");
    verify_signature(&jws, Some(Ok(&keys(key))), &[alg])
}

/// Every algorithm, with a known-good token and its key.
fn known_good() -> Vec<(&'static str, Value)> {
    let oct = |k: &str| json!({"kty": "oct", "k": k});
    let rsa = |n: &str| json!({"kty": "RSA", "n": n, "e": "AQAB"});
    vec![
        (A1_HS256, oct(A1_KEY)),
        (HS384, oct(HS384_KEY)),
        (HS512, oct(HS512_KEY)),
        (A2_RS256, rsa(A2_N)),
        (RS384, rsa(A2_N)),
        (RS512, rsa(A2_N)),
        (PS256, rsa(A2_N)),
        (RFC7520_PS384, rsa(RFC7520_N)),
        (PS512, rsa(A2_N)),
        (A3_ES256, a3_key()),
        (ES384, p384_key()),
        (RFC8037_EDDSA, ed25519_key()),
    ]
}

#[test]
fn every_algorithm_verifies_a_known_good_token() {
    let mut seen = Vec::new();
    for (token, key) in known_good() {
        let verified = verify(token, key).unwrap_or_else(|e| panic!("{token}: {e}"));
        seen.push(verified.algorithm);
    }
    assert_eq!(seen, Algorithm::ALL.to_vec());
}

#[test]
fn every_algorithm_rejects_a_changed_payload() {
    for (token, key) in known_good() {
        let mut jws = jws(token);
        jws.segments.payload.push('A');
        let alg = jws.algorithm().unwrap();
        let found = verify_signature(&jws, Some(Ok(&keys(key))), &[alg]);
        assert!(
            matches!(found, Err(VerifyError::InvalidSignature { .. })),
            "{alg}: {found:?}"
        );
    }
}

#[test]
fn every_algorithm_rejects_a_changed_signature() {
    for (token, key) in known_good() {
        let mut jws = jws(token);
        if let Some(last) = jws.signature.last_mut() {
            *last ^= 0x01;
        }
        let alg = jws.algorithm().unwrap();
        let found = verify_signature(&jws, Some(Ok(&keys(key))), &[alg]);
        assert!(
            matches!(found, Err(VerifyError::InvalidSignature { .. })),
            "{alg}: {found:?}"
        );
    }
}

#[test]
fn a_der_ecdsa_signature_is_named() {
    let mut jws = jws(A3_ES256);
    let (r, s) = jws.signature.split_at(32);
    let mut der = vec![0x30, 0x44, 0x02, 0x20];
    der.extend_from_slice(r);
    der.extend_from_slice(&[0x02, 0x20]);
    der.extend_from_slice(s);
    jws.signature = der;

    let found = verify_signature(&jws, Some(Ok(&keys(a3_key()))), &[Algorithm::Es256]);
    let Err(VerifyError::InvalidSignature { failures, .. }) = found else {
        panic!("expected an invalid signature, got {found:?}");
    };
    assert_eq!(
        failures[0].1,
        SignatureError::DerEncoded {
            expected: 64,
            found: 70
        }
    );
}

#[test]
fn an_empty_signature_is_named() {
    let mut jws = jws(A1_HS256);
    jws.signature.clear();
    let key = keys(json!({"kty": "oct", "k": A1_KEY}));
    let found = verify_signature(&jws, Some(Ok(&key)), &[Algorithm::Hs256]);
    let message = found.unwrap_err().to_string();
    assert!(
        message.contains("segment is empty, expected 32 octets"),
        "{message}"
    );
}

#[test]
fn an_rsa_signature_of_the_wrong_size_is_named() {
    let mut jws = jws(A2_RS256);
    jws.signature.pop();
    let key = keys(json!({"kty": "RSA", "n": A2_N, "e": "AQAB"}));
    let found = verify_signature(&jws, Some(Ok(&key)), &[Algorithm::Rs256]);
    let Err(VerifyError::InvalidSignature { failures, .. }) = found else {
        panic!("expected an invalid signature, got {found:?}");
    };
    assert_eq!(
        failures[0].1,
        SignatureError::Length {
            expected: 256,
            found: 255
        }
    );
}

#[test]
fn checks_run_in_order_unsecured_then_alg_then_key() {
    let none = jws("eyJhbGciOiJub25lIn0.e30.");
    assert_eq!(
        verify_signature(&none, None, &Algorithm::ALL),
        Err(VerifyError::Unsecured)
    );

    let rs256 = jws(A2_RS256);
    let found = verify_signature(&rs256, None, &[Algorithm::Es256]);
    assert!(matches!(
        found,
        Err(VerifyError::AlgorithmNotAllowed { .. })
    ));

    let found = verify_signature(&rs256, None, &[Algorithm::Rs256]);
    assert_eq!(
        found,
        Err(VerifyError::NoMatchingKey(NoMatchingKey::NoKeys))
    );
}

#[test]
fn an_unreadable_key_is_reported_as_such() {
    let error = KeySet::parse("{\"kty\":\"RSA\"}").unwrap_err();
    let found = verify_signature(&jws(A2_RS256), Some(Err(&error)), &[Algorithm::Rs256]);
    let message = found.unwrap_err().to_string();
    assert!(
        message.starts_with("the key could not be read"),
        "{message}"
    );
}

#[test]
fn the_first_key_that_verifies_wins() {
    let set = keys(json!({"keys": [
        {"kty": "RSA", "kid": "other", "n": RFC7520_N, "e": "AQAB"},
        {"kty": "RSA", "kid": "right", "n": A2_N, "e": "AQAB"},
    ]}));
    let found = verify_signature(&jws(A2_RS256), Some(Ok(&set)), &[Algorithm::Rs256]);
    assert_eq!(found.unwrap().key, "kid \"right\"");
}

#[test]
fn a_small_rsa_key_is_refused_when_read() {
    let error = KeySet::from_value(&json!({"kty": "RSA", "n": "AQAB", "e": "AQAB"})).unwrap_err();
    assert!(matches!(error, KeyError::InvalidRsa(_)), "{error:?}");
}
