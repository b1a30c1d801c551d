//! Checks a received `oauth_signature` and, when it does not match, finds
//! where the two sides parted: a character diff of the base strings and a
//! search over the mistakes signing code commonly makes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use similar::{ChangeTag, TextDiff};

use super::encode::{percent_decode, percent_encode};
use super::signature::{
    Parameter, ParameterSource, SignatureError, SignatureInput, SignatureMethod, SignatureSteps,
    encode_and_sort, join_pairs, keyed_signature, parse_rsa_private_key, prepare, sign,
    signature_base_string,
};

/// One run of a character diff between our base string and theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffSpan {
    pub change: Change,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    /// Only in the base string we computed.
    Ours,
    /// Only in the base string the server reported.
    Theirs,
}

/// A known signing mistake that reproduces what the server sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LikelyCause {
    pub mistake: Mistake,
    /// What the mistake reproduced: the received signature, the server's
    /// base string, or both.
    pub reproduces: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mistake {
    SpaceAsPlus,
    PlusNotDecodedAsSpace,
    ReservedLeftUnencoded,
    DefaultPortKept,
    PortDropped,
    BodyParamsSkipped,
    BodyParamsSignedForNonForm,
    DuplicatesSortedByNameOnly,
    SortedBeforeEncoding,
    EmptyTokenSecretWithoutAmpersand,
    SecretsNotEncoded,
    DoubleEncoding,
    QueryInBaseUri,
    MethodNotUppercased,
    OtherMethodSigned,
    OtherSchemeSigned,
    SignatureStillEncoded,
}

impl Mistake {
    /// The mistakes tried by recomputing the base string or key; the
    /// still-encoded signature is a reading mistake, checked on its own.
    const ALL: [Mistake; 16] = [
        Mistake::SpaceAsPlus,
        Mistake::PlusNotDecodedAsSpace,
        Mistake::ReservedLeftUnencoded,
        Mistake::DefaultPortKept,
        Mistake::PortDropped,
        Mistake::BodyParamsSkipped,
        Mistake::BodyParamsSignedForNonForm,
        Mistake::DuplicatesSortedByNameOnly,
        Mistake::SortedBeforeEncoding,
        Mistake::EmptyTokenSecretWithoutAmpersand,
        Mistake::SecretsNotEncoded,
        Mistake::DoubleEncoding,
        Mistake::QueryInBaseUri,
        Mistake::MethodNotUppercased,
        Mistake::OtherMethodSigned,
        Mistake::OtherSchemeSigned,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Mistake::SpaceAsPlus => "Space encoded as + instead of %20",
            Mistake::PlusNotDecodedAsSpace => "A + in the query or form body read as a plus sign",
            Mistake::ReservedLeftUnencoded => "Reserved characters ! * ' ( ) left unencoded",
            Mistake::DefaultPortKept => "Default port kept in the base string URI",
            Mistake::PortDropped => "Non-default port dropped from the base string URI",
            Mistake::BodyParamsSkipped => "Form body parameters not signed",
            Mistake::BodyParamsSignedForNonForm => "Body signed although it is not form-encoded",
            Mistake::DuplicatesSortedByNameOnly => {
                "Parameters with the same name not sorted by value"
            }
            Mistake::SortedBeforeEncoding => "Parameters sorted before encoding",
            Mistake::EmptyTokenSecretWithoutAmpersand => "Signing key without the trailing &",
            Mistake::SecretsNotEncoded => "Secrets not percent-encoded in the signing key",
            Mistake::DoubleEncoding => "Parameters encoded twice",
            Mistake::QueryInBaseUri => "Query string left in the base string URI",
            Mistake::MethodNotUppercased => "HTTP method not uppercased",
            Mistake::OtherMethodSigned => "Another HTTP method signed",
            Mistake::OtherSchemeSigned => "Other scheme signed (http and https)",
            Mistake::SignatureStillEncoded => "Received signature still percent-encoded",
        }
    }

    pub fn explanation(self) -> &'static str {
        match self {
            Mistake::SpaceAsPlus => {
                "RFC 5849 §3.6 encodes a space as %20. Form encoders (such as URLSearchParams or urlencode) write +, which becomes %2B in the base string."
            }
            Mistake::PlusNotDecodedAsSpace => {
                "In a query or form body, + stands for a space (RFC 5849 §3.4.1.3.1 decodes them as forms). Reading it as a literal + signs %2B where %20 belongs."
            }
            Mistake::ReservedLeftUnencoded => {
                "RFC 5849 §3.6 leaves only ALPHA, DIGIT, - . _ ~ unencoded. encodeURIComponent keeps ! * ' ( ) as they are."
            }
            Mistake::DefaultPortKept => "RFC 5849 §3.4.1.2 drops :80 for http and :443 for https.",
            Mistake::PortDropped => {
                "RFC 5849 §3.4.1.2 keeps any port that is not the scheme's default."
            }
            Mistake::BodyParamsSkipped => {
                "RFC 5849 §3.4.1.3.1 signs the parameters of an application/x-www-form-urlencoded body."
            }
            Mistake::BodyParamsSignedForNonForm => {
                "Only application/x-www-form-urlencoded bodies are signed (RFC 5849 §3.4.1.3.1); other bodies can be covered by oauth_body_hash."
            }
            Mistake::DuplicatesSortedByNameOnly => {
                "RFC 5849 §3.4.1.3.2 sorts by name, then by value for equal names."
            }
            Mistake::SortedBeforeEncoding => {
                "RFC 5849 §3.4.1.3.2 encodes first and sorts the encoded strings."
            }
            Mistake::EmptyTokenSecretWithoutAmpersand => {
                "RFC 5849 §3.4.2 keeps the & even when the token secret is empty."
            }
            Mistake::SecretsNotEncoded => {
                "RFC 5849 §3.4.2 percent-encodes both secrets before joining them."
            }
            Mistake::DoubleEncoding => {
                "Values already encoded were encoded again, so % became %25 one time too many."
            }
            Mistake::QueryInBaseUri => {
                "RFC 5849 §3.4.1.2 excludes the query; its parameters go in the normalized string."
            }
            Mistake::MethodNotUppercased => "RFC 5849 §3.4.1.1 uses the method in uppercase.",
            Mistake::OtherMethodSigned => {
                "RFC 5849 §3.4.1.1 starts the base string with the method the request is sent with; one side signed another, such as GET for a request sent as POST."
            }
            Mistake::OtherSchemeSigned => {
                "RFC 5849 §3.4.1.2 signs the scheme the client used. A server behind a proxy that ends TLS sees http where the client signed https, and must rebuild the URI the client used."
            }
            Mistake::SignatureStillEncoded => {
                "oauth_signature is percent-encoded in the Authorization header (RFC 5849 §3.5.1) and is compared after decoding it once; decoded, this one is the signature computed here. Check the decoded value."
            }
        }
    }
}

/// What a check of a received signature found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub steps: SignatureSteps,
    pub received_signature: String,
    pub valid: bool,
    /// Present when the server's base string was given and differs.
    pub diff: Option<Vec<DiffSpan>>,
    pub likely_causes: Vec<LikelyCause>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    NoSignature,
    Signature(SignatureError),
    InvalidPublicKey(String),
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::NoSignature => write!(
                f,
                "the request carries no oauth_signature; paste a signed request or type the signature received"
            ),
            VerifyError::Signature(error) => error.fmt(f),
            VerifyError::InvalidPublicKey(reason) => write!(
                f,
                "the RSA public key could not be read ({reason}); paste a PEM block starting with \
                 -----BEGIN PUBLIC KEY-----, -----BEGIN RSA PUBLIC KEY----- or -----BEGIN CERTIFICATE-----"
            ),
        }
    }
}

impl std::error::Error for VerifyError {}

/// Checks `oauth_signature` in `input` against the secrets (or, for RSA,
/// `public_key_pem`, else the public half of the private key).
pub fn verify(
    input: &SignatureInput,
    public_key_pem: Option<&str>,
    server_base_string: Option<&str>,
) -> Result<Verification, VerifyError> {
    let received = input
        .oauth_param("oauth_signature")
        .filter(|signature| !signature.is_empty())
        .ok_or(VerifyError::NoSignature)?
        .to_owned();
    let rsa_check = rsa_checker(input, public_key_pem)?;
    let steps = match rsa_check {
        Some(_) => prepare(input),
        None => sign(input),
    }
    .map_err(VerifyError::Signature)?;

    let valid = match &rsa_check {
        Some(check) => check(&steps.base_string, &received),
        None => steps.signature == received,
    };
    let server_base_string = server_base_string.map(str::trim).filter(|s| !s.is_empty());
    let diff = server_base_string
        .filter(|theirs| *theirs != steps.base_string)
        .map(|theirs| diff_chars(&steps.base_string, theirs));

    let likely_causes = if valid {
        Vec::new()
    } else {
        find_likely_causes(
            input,
            &steps,
            &received,
            server_base_string,
            rsa_check.as_deref(),
        )
    };
    Ok(Verification {
        steps,
        received_signature: received,
        valid,
        diff,
        likely_causes,
    })
}

type RsaCheck = dyn Fn(&str, &str) -> bool;

/// For RSA methods, a check of a base64 signature over a base string.
fn rsa_checker(
    input: &SignatureInput,
    public_key_pem: Option<&str>,
) -> Result<Option<Box<RsaCheck>>, VerifyError> {
    let method = input
        .oauth_param("oauth_signature_method")
        .and_then(SignatureMethod::from_name);
    let Some(method) = method.filter(|m| m.is_rsa()) else {
        return Ok(None);
    };

    let key = match public_key_pem.map(str::trim).filter(|pem| !pem.is_empty()) {
        Some(pem) => parse_rsa_public_key(pem)?,
        None => {
            let pem = input.rsa_private_key_pem.as_deref().unwrap_or("");
            let private = parse_rsa_private_key(pem).map_err(VerifyError::Signature)?;
            private.to_public_key()
        }
    };

    Ok(Some(Box::new(move |base_string: &str, signature: &str| {
        let Ok(bytes) = BASE64.decode(signature) else {
            return false;
        };
        let Ok(signature) = rsa::pkcs1v15::Signature::try_from(bytes.as_slice()) else {
            return false;
        };
        let text = base_string.as_bytes();
        match method {
            SignatureMethod::RsaSha1 => {
                rsa::pkcs1v15::VerifyingKey::<Sha1>::new(key.clone()).verify(text, &signature)
            }
            SignatureMethod::RsaSha256 => {
                rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key.clone()).verify(text, &signature)
            }
            _ => rsa::pkcs1v15::VerifyingKey::<Sha512>::new(key.clone()).verify(text, &signature),
        }
        .is_ok()
    })))
}

/// Reads an RSA public key from a PEM public key (SPKI or PKCS#1) or from
/// the subject public key of an X.509 certificate.
pub fn parse_rsa_public_key(pem: &str) -> Result<rsa::PublicKey, VerifyError> {
    let invalid = |e: &dyn std::fmt::Display| VerifyError::InvalidPublicKey(e.to_string());
    if pem.contains("BEGIN CERTIFICATE") {
        use x509_cert::der::{DecodePem, Encode};
        let certificate = x509_cert::Certificate::from_pem(pem.trim()).map_err(|e| invalid(&e))?;
        let spki = certificate.tbs_certificate().subject_public_key_info();
        let der = spki.to_der().map_err(|e| invalid(&e))?;
        rsa::PublicKey::from_public_key_der(&der).map_err(|e| invalid(&e))
    } else if pem.contains("BEGIN RSA PUBLIC KEY") {
        rsa::PublicKey::from_pkcs1_pem(pem).map_err(|e| invalid(&e))
    } else if pem.contains("BEGIN PUBLIC KEY") {
        rsa::PublicKey::from_public_key_pem(pem).map_err(|e| invalid(&e))
    } else {
        Err(VerifyError::InvalidPublicKey(
            "no PEM public key or certificate header found".to_owned(),
        ))
    }
}

/// A character-level diff, merged into runs.
pub fn diff_chars(ours: &str, theirs: &str) -> Vec<DiffSpan> {
    let diff = TextDiff::from_chars(ours, theirs);
    let mut spans: Vec<DiffSpan> = Vec::new();
    for change in diff.iter_all_changes() {
        let tag = match change.tag() {
            ChangeTag::Equal => Change::Same,
            ChangeTag::Delete => Change::Ours,
            ChangeTag::Insert => Change::Theirs,
        };
        match spans.last_mut() {
            Some(last) if last.change == tag => last.text.push_str(change.value()),
            _ => spans.push(DiffSpan {
                change: tag,
                text: change.value().to_owned(),
            }),
        }
    }
    spans
}

/// Recomputes the base string and key under each known mistake and keeps
/// the mistakes that reproduce what the server sent.
fn find_likely_causes(
    input: &SignatureInput,
    steps: &SignatureSteps,
    received: &str,
    server_base_string: Option<&str>,
    rsa_check: Option<&RsaCheck>,
) -> Vec<LikelyCause> {
    let mut causes: Vec<LikelyCause> = still_encoded(steps, received, rsa_check)
        .into_iter()
        .collect();
    for mistake in Mistake::ALL {
        let Some((base_string, key)) = with_mistake(mistake, input, steps, server_base_string)
        else {
            continue;
        };

        let signature_matches = match (rsa_check, &key) {
            (Some(check), _) => check(&base_string, received),
            (None, Some(key)) => {
                keyed_signature(steps.signature_method, key, &base_string) == received
            }
            (None, None) => false,
        };
        let base_matches =
            server_base_string == Some(base_string.as_str()) && base_string != steps.base_string;
        let reproduces = match (signature_matches, base_matches) {
            (true, true) => "the received signature and the server's base string",
            (true, false) => "the received signature",
            (false, true) => "the server's base string",
            (false, false) => continue,
        };
        causes.push(LikelyCause {
            mistake,
            reproduces,
        });
    }
    causes
}

/// A signature copied from the header without decoding it: decoded once,
/// it is the one computed here.
fn still_encoded(
    steps: &SignatureSteps,
    received: &str,
    rsa_check: Option<&RsaCheck>,
) -> Option<LikelyCause> {
    let decoded = percent_decode(received).ok().filter(|d| d != received)?;
    let matches = match rsa_check {
        Some(check) => check(&steps.base_string, &decoded),
        None => steps.signature == decoded,
    };
    matches.then_some(LikelyCause {
        mistake: Mistake::SignatureStillEncoded,
        reproduces: "the received signature, once percent-decoded",
    })
}

/// The method the other side signed: the one in the server's base string,
/// else the other of GET and POST, the pair most often confused. A
/// difference in case alone is [`Mistake::MethodNotUppercased`].
fn other_method(ours: &str, server_base_string: Option<&str>) -> Option<String> {
    let theirs = match server_base_string {
        Some(theirs) => percent_decode(theirs.split('&').next()?).ok()?,
        None if ours == "GET" => "POST".to_owned(),
        None if ours == "POST" => "GET".to_owned(),
        None => return None,
    };
    (!theirs.eq_ignore_ascii_case(ours)).then_some(theirs)
}

/// The base string and key a signer making `mistake` would produce, or
/// `None` when the mistake changes nothing for this request.
fn with_mistake(
    mistake: Mistake,
    input: &SignatureInput,
    steps: &SignatureSteps,
    server_base_string: Option<&str>,
) -> Option<(String, Option<String>)> {
    let key = steps.signing_key.clone();
    let base =
        |method: &str, uri: &str, normalized: &str| signature_base_string(method, uri, normalized);
    let from_params = |params: &[Parameter]| join_pairs(&encode_and_sort(params));

    let (base_string, key) = match mistake {
        Mistake::SpaceAsPlus => {
            let pairs: Vec<(String, String)> = steps
                .encoded_sorted
                .iter()
                .map(|(n, v)| (n.replace("%20", "+"), v.replace("%20", "+")))
                .collect();
            (
                base(&steps.http_method, &steps.base_uri, &join_pairs(&pairs)),
                key,
            )
        }
        Mistake::PlusNotDecodedAsSpace => {
            let params = parameters_with_literal_plus(input, steps)?;
            (
                base(&steps.http_method, &steps.base_uri, &from_params(&params)),
                key,
            )
        }
        Mistake::ReservedLeftUnencoded => {
            let lax = |text: &str| {
                percent_encode(text)
                    .replace("%21", "!")
                    .replace("%2A", "*")
                    .replace("%27", "'")
                    .replace("%28", "(")
                    .replace("%29", ")")
            };
            let mut pairs: Vec<(String, String)> = steps
                .parameters
                .iter()
                .map(|p| (lax(&p.name), lax(&p.value)))
                .collect();
            pairs.sort();
            let normalized = join_pairs(&pairs);
            (
                format!(
                    "{}&{}&{}",
                    lax(&steps.http_method),
                    lax(&steps.base_uri),
                    lax(&normalized)
                ),
                key,
            )
        }
        Mistake::DefaultPortKept => {
            let uri = with_port(&steps.base_uri, true)?;
            (
                base(&steps.http_method, &uri, &steps.normalized_params),
                key,
            )
        }
        Mistake::PortDropped => {
            let uri = with_port(&steps.base_uri, false)?;
            (
                base(&steps.http_method, &uri, &steps.normalized_params),
                key,
            )
        }
        Mistake::BodyParamsSkipped => {
            let kept: Vec<Parameter> = steps
                .parameters
                .iter()
                .filter(|p| p.source != ParameterSource::Body)
                .cloned()
                .collect();
            if kept.len() == steps.parameters.len() {
                return None;
            }
            (
                base(&steps.http_method, &steps.base_uri, &from_params(&kept)),
                key,
            )
        }
        Mistake::BodyParamsSignedForNonForm => {
            let body = input
                .body
                .as_deref()
                .filter(|b| !b.is_empty() && !input.body_is_form())?;
            let extra = super::encode::form_decode(body).ok()?;
            let mut params = steps.parameters.clone();
            params.extend(extra.into_iter().map(|(name, value)| Parameter {
                name,
                value,
                source: ParameterSource::Body,
            }));
            (
                base(&steps.http_method, &steps.base_uri, &from_params(&params)),
                key,
            )
        }
        Mistake::DuplicatesSortedByNameOnly => {
            let mut pairs: Vec<(String, String)> = steps
                .parameters
                .iter()
                .map(|p| (percent_encode(&p.name), percent_encode(&p.value)))
                .collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            (
                base(&steps.http_method, &steps.base_uri, &join_pairs(&pairs)),
                key,
            )
        }
        Mistake::SortedBeforeEncoding => {
            let mut decoded: Vec<(String, String)> = steps
                .parameters
                .iter()
                .map(|p| (p.name.clone(), p.value.clone()))
                .collect();
            decoded.sort();
            let pairs: Vec<(String, String)> = decoded
                .iter()
                .map(|(n, v)| (percent_encode(n), percent_encode(v)))
                .collect();
            (
                base(&steps.http_method, &steps.base_uri, &join_pairs(&pairs)),
                key,
            )
        }
        Mistake::EmptyTokenSecretWithoutAmpersand => {
            if !input.token_secret.is_empty() || key.is_none() {
                return None;
            }
            (
                steps.base_string.clone(),
                Some(percent_encode(&input.consumer_secret)),
            )
        }
        Mistake::SecretsNotEncoded => {
            key.as_ref()?;
            let raw = format!("{}&{}", input.consumer_secret, input.token_secret);
            if Some(&raw) == key.as_ref() {
                return None;
            }
            (steps.base_string.clone(), Some(raw))
        }
        Mistake::DoubleEncoding => {
            let pairs: Vec<(String, String)> = steps
                .encoded_sorted
                .iter()
                .map(|(n, v)| (percent_encode(n), percent_encode(v)))
                .collect();
            (
                base(&steps.http_method, &steps.base_uri, &join_pairs(&pairs)),
                key,
            )
        }
        Mistake::QueryInBaseUri => {
            let query = super::signature::raw_query(input.url.trim());
            if query.is_empty() {
                return None;
            }
            let uri = format!("{}?{query}", steps.base_uri);
            (
                base(&steps.http_method, &uri, &steps.normalized_params),
                key,
            )
        }
        Mistake::MethodNotUppercased => {
            let typed = input.method.trim();
            let method = if typed == steps.http_method {
                typed.to_ascii_lowercase()
            } else {
                typed.to_owned()
            };
            (
                base(&method, &steps.base_uri, &steps.normalized_params),
                key,
            )
        }
        Mistake::OtherMethodSigned => {
            let method = other_method(&steps.http_method, server_base_string)?;
            (
                base(&method, &steps.base_uri, &steps.normalized_params),
                key,
            )
        }
        Mistake::OtherSchemeSigned => {
            let uri = match steps.base_uri.split_once("://")? {
                ("http", rest) => format!("https://{rest}"),
                ("https", rest) => format!("http://{rest}"),
                _ => return None,
            };
            (
                base(&steps.http_method, &uri, &steps.normalized_params),
                key,
            )
        }
        Mistake::SignatureStillEncoded => return None,
    };

    let unchanged = base_string == steps.base_string && key == steps.signing_key;
    (!unchanged).then_some((base_string, key))
}

/// The parameters a reader who keeps `+` literal would collect, or `None`
/// when no query or body parameter holds a `+`.
fn parameters_with_literal_plus(
    input: &SignatureInput,
    steps: &SignatureSteps,
) -> Option<Vec<Parameter>> {
    let query = super::signature::raw_query(input.url.trim());
    let body = input
        .body
        .as_deref()
        .filter(|_| input.body_is_form())
        .unwrap_or("");
    if !query.contains('+') && !body.contains('+') {
        return None;
    }

    let read = |text: &str, source| -> Option<Vec<Parameter>> {
        text.split('&')
            .filter(|segment| !segment.is_empty())
            .map(|segment| {
                let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
                Some(Parameter {
                    name: percent_decode(name).ok()?,
                    value: percent_decode(value).ok()?,
                    source,
                })
            })
            .collect()
    };
    let mut params = read(query, ParameterSource::Query)?;
    params.extend(
        steps
            .parameters
            .iter()
            .filter(|p| p.source == ParameterSource::Header)
            .cloned(),
    );
    params.extend(read(body, ParameterSource::Body)?);
    params.retain(|p| p.name != "oauth_signature");
    Some(params)
}

/// Adds the scheme's default port, or removes a non-default one.
fn with_port(base_uri: &str, add_default: bool) -> Option<String> {
    let (scheme, rest) = base_uri.split_once("://")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let has_port = authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.bytes().all(|b| b.is_ascii_digit()));

    match (add_default, has_port) {
        (true, false) => {
            let port = if scheme == "https" { 443 } else { 80 };
            Some(format!("{scheme}://{authority}:{port}{path}"))
        }
        (false, true) => {
            let host = authority.rsplit_once(':').map(|(h, _)| h)?;
            Some(format!("{scheme}://{host}{path}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The RFC 5849 §3.1 request with its client and token secrets.
    fn rfc_example(signature: &str) -> SignatureInput {
        SignatureInput {
            method: "POST".into(),
            url: "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b".into(),
            content_type: Some("application/x-www-form-urlencoded".into()),
            body: Some("c2&a3=2+q".into()),
            realm: Some("Example".into()),
            oauth: vec![
                ("oauth_consumer_key".into(), "9djdj82h48djs9d2".into()),
                ("oauth_token".into(), "kkk9d7dh3k39sjv7".into()),
                ("oauth_signature_method".into(), "HMAC-SHA1".into()),
                ("oauth_timestamp".into(), "137131201".into()),
                ("oauth_nonce".into(), "7d8f3e4a".into()),
                ("oauth_signature".into(), signature.into()),
            ],
            consumer_secret: "j49sk3j29djd".into(),
            token_secret: "dh893hdasih9".into(),
            ..SignatureInput::default()
        }
    }

    /// The §3.4.1.1 base string, as printed in the RFC.
    const RFC_BASE_STRING: &str = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7";

    #[test]
    fn accepts_the_corrected_rfc_signature() {
        // RFC 5849 erratum 2550 gives this signature for §3.1.
        let found = verify(&rfc_example("r6/TJjbCOr97/+UU0NsvSne7s5g="), None, None).unwrap();
        assert!(found.valid);
        assert!(found.likely_causes.is_empty());
    }

    #[test]
    fn rejects_the_signature_printed_in_the_rfc() {
        let found = verify(&rfc_example("bYT5CMsGcbgUdFHObYMEfcx6bsw="), None, None).unwrap();
        assert!(!found.valid);
    }

    fn causes_for_server_base(server_base: &str) -> Vec<Mistake> {
        let found = verify(&rfc_example("wrong"), None, Some(server_base)).unwrap();
        assert!(found.diff.is_some(), "a differing base string is diffed");
        found.likely_causes.iter().map(|c| c.mistake).collect()
    }

    #[test]
    fn names_space_as_plus() {
        let theirs = RFC_BASE_STRING.replace("%2520", "%2B");
        assert_eq!(causes_for_server_base(&theirs), vec![Mistake::SpaceAsPlus]);
    }

    #[test]
    fn names_a_plus_read_literally() {
        let theirs = RFC_BASE_STRING.replace("a3%3D2%2520q", "a3%3D2%252Bq");
        assert_eq!(
            causes_for_server_base(&theirs),
            vec![Mistake::PlusNotDecodedAsSpace]
        );
    }

    #[test]
    fn names_a_kept_default_port() {
        let theirs = RFC_BASE_STRING.replace("example.com%2F", "example.com%3A80%2F");
        assert_eq!(
            causes_for_server_base(&theirs),
            vec![Mistake::DefaultPortKept]
        );
    }

    #[test]
    fn names_skipped_body_parameters() {
        let theirs = RFC_BASE_STRING
            .replace("a3%3D2%2520q%26", "")
            .replace("%26c2%3D", "");
        assert_eq!(
            causes_for_server_base(&theirs),
            vec![Mistake::BodyParamsSkipped]
        );
    }

    #[test]
    fn names_double_encoding() {
        let theirs = RFC_BASE_STRING.replace("b5%3D%253D%25253D", "b5%3D%25253D%2525253D");
        let causes = causes_for_server_base(&theirs);
        assert!(!causes.contains(&Mistake::SpaceAsPlus));
        // Double encoding touches every escape, not only b5's, so it is not
        // the whole story here; the diff still shows where they part.
        assert!(causes.is_empty() || causes.contains(&Mistake::DoubleEncoding));
    }

    #[test]
    fn finds_a_missing_ampersand_from_the_signature_alone() {
        let mut input = rfc_example("");
        input.token_secret.clear();
        let base = super::super::signature::prepare(&input)
            .unwrap()
            .base_string;
        let without_ampersand = keyed_signature(SignatureMethod::HmacSha1, "j49sk3j29djd", &base);
        input.oauth.retain(|(n, _)| n != "oauth_signature");
        input
            .oauth
            .push(("oauth_signature".into(), without_ampersand));

        let found = verify(&input, None, None).unwrap();
        assert!(!found.valid);
        let causes: Vec<Mistake> = found.likely_causes.iter().map(|c| c.mistake).collect();
        assert_eq!(causes, vec![Mistake::EmptyTokenSecretWithoutAmpersand]);
    }

    #[test]
    fn names_a_signature_pasted_still_percent_encoded() {
        let found = verify(
            &rfc_example("r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D"),
            None,
            None,
        )
        .unwrap();
        assert!(!found.valid);
        let causes: Vec<Mistake> = found.likely_causes.iter().map(|c| c.mistake).collect();
        assert_eq!(causes, vec![Mistake::SignatureStillEncoded]);

        // A wrong signature that merely holds a % is not blamed on encoding.
        let found = verify(&rfc_example("bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"), None, None).unwrap();
        assert!(found.likely_causes.is_empty(), "{:?}", found.likely_causes);
    }

    #[test]
    fn names_another_method_in_the_server_base_string() {
        let theirs = RFC_BASE_STRING.replacen("POST&", "PUT&", 1);
        assert_eq!(
            causes_for_server_base(&theirs),
            vec![Mistake::OtherMethodSigned]
        );
        let theirs = RFC_BASE_STRING.replacen("POST&", "post&", 1);
        assert_eq!(
            causes_for_server_base(&theirs),
            vec![Mistake::MethodNotUppercased]
        );
    }

    #[test]
    fn names_a_get_signed_for_a_post_from_the_signature_alone() {
        let mut as_get = rfc_example("");
        as_get.method = "GET".into();
        let signed_as_get = sign(&as_get).unwrap().signature;

        let found = verify(&rfc_example(&signed_as_get), None, None).unwrap();
        let causes: Vec<Mistake> = found.likely_causes.iter().map(|c| c.mistake).collect();
        assert_eq!(causes, vec![Mistake::OtherMethodSigned]);
    }

    #[test]
    fn names_the_other_scheme_in_the_server_base_string() {
        let theirs = RFC_BASE_STRING.replacen("http%3A%2F%2F", "https%3A%2F%2F", 1);
        assert_eq!(
            causes_for_server_base(&theirs),
            vec![Mistake::OtherSchemeSigned]
        );
        let found = verify(&rfc_example("wrong"), None, Some(&theirs)).unwrap();
        assert_eq!(
            found.likely_causes[0].reproduces,
            "the server's base string"
        );
    }

    #[test]
    fn diff_marks_only_the_changed_characters() {
        let spans = diff_chars("a%20b", "a%2Bb");
        let changed: Vec<(Change, &str)> = spans
            .iter()
            .filter(|s| s.change != Change::Same)
            .map(|s| (s.change, s.text.as_str()))
            .collect();
        assert_eq!(changed, vec![(Change::Ours, "0"), (Change::Theirs, "B")]);
    }

    #[test]
    fn without_a_signature_says_what_is_missing() {
        let mut input = rfc_example("");
        input.oauth.retain(|(n, _)| n != "oauth_signature");
        assert_eq!(
            verify(&input, None, None).unwrap_err(),
            VerifyError::NoSignature
        );
    }
}
