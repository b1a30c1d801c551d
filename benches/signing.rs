//! Signing the RFC 5849 §3.4.1.1 request with each signature method, every
//! step included (parameter collection, base string, signature).

// Criterion runs natively; the browser build has nothing to measure here.
#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::{Criterion, criterion_group};
    use std::hint::black_box;

    use oauth_playground::oauth1::{SignatureInput, SignatureMethod, sign};

    /// A 2048-bit test key, the same one the oauthlib fixtures use.
    const RSA_KEY: &str = include_str!("test_key.pem");

    fn input(method: SignatureMethod) -> SignatureInput {
        SignatureInput {
            method: "POST".into(),
            url: "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b".into(),
            content_type: Some("application/x-www-form-urlencoded".into()),
            body: Some("c2&a3=2+q".into()),
            realm: Some("Example".into()),
            oauth: vec![
                ("oauth_consumer_key".into(), "9djdj82h48djs9d2".into()),
                ("oauth_token".into(), "kkk9d7dh3k39sjv7".into()),
                ("oauth_signature_method".into(), method.name().into()),
                ("oauth_timestamp".into(), "137131201".into()),
                ("oauth_nonce".into(), "7d8f3e4a".into()),
            ],
            consumer_secret: "j49sk3j29djd".into(),
            token_secret: "dh893hdasih9".into(),
            rsa_private_key_pem: Some(RSA_KEY.into()),
            include_body_hash: false,
        }
    }

    fn signing(c: &mut Criterion) {
        let mut group = c.benchmark_group("oauth1_sign");
        for method in SignatureMethod::ALL {
            let input = input(method);
            group.bench_function(method.name(), |b| b.iter(|| sign(black_box(&input))));
        }
        group.finish();
    }

    criterion_group!(benches, signing);
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    {
        native::benches();
        criterion::Criterion::default()
            .configure_from_args()
            .final_summary();
    }
}
