//! Proof Key for Code Exchange (RFC 7636): the code verifier (§4.1), the
//! code challenge and its methods (§4.2), and the server's check (§4.6).
//!
//! `plain` exists for servers that cannot do SHA-256; the client uses
//! S256 whenever it can (§4.2), and the playground offers `plain` only as
//! a named, visible choice.

use sha2::{Digest, Sha256};

use super::base64url;
use super::error::SettingsError;

/// The shortest verifier §4.1 allows.
pub const MIN_LENGTH: usize = 43;
/// The longest verifier §4.1 allows.
pub const MAX_LENGTH: usize = 128;
/// §4.1 recommends 32 random octets, which base64url makes 43 characters.
pub const RECOMMENDED_OCTETS: usize = 32;

/// `unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"` (RFC 7636 §4.1).
pub fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// True for `43*128unreserved`, the grammar of both the verifier (§4.1)
/// and the challenge (§4.2).
pub fn matches_grammar(text: &str) -> bool {
    (MIN_LENGTH..=MAX_LENGTH).contains(&text.len()) && text.bytes().all(is_unreserved)
}

/// A high-entropy secret the client keeps until the token request
/// (RFC 7636 §4.1). `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeVerifier(String);

impl CodeVerifier {
    /// Checks a verifier against §4.1: 43 to 128 unreserved characters.
    ///
    /// # Errors
    ///
    /// A [`SettingsError`] on `code_verifier` naming the length or the
    /// first character outside the unreserved set.
    pub fn new(text: impl Into<String>) -> Result<Self, SettingsError> {
        let text = text.into();
        if let Some(bad) = text
            .chars()
            .find(|c| !c.is_ascii() || !is_unreserved(*c as u8))
        {
            return Err(SettingsError::new(
                "code_verifier",
                format!("it contains {bad:?}, which is not an unreserved character"),
                "use only A-Z, a-z, 0-9 and - . _ ~ (RFC 7636 §4.1)",
            ));
        }
        if !(MIN_LENGTH..=MAX_LENGTH).contains(&text.len()) {
            return Err(SettingsError::new(
                "code_verifier",
                format!("it is {} characters long", text.len()),
                "make it 43 to 128 characters long (RFC 7636 §4.1)",
            ));
        }
        Ok(CodeVerifier(text))
    }

    /// The base64url encoding of caller-supplied random octets (§4.1): 32
    /// octets give the recommended 43 characters.
    ///
    /// # Errors
    ///
    /// When the octets encode to fewer than 43 or more than 128
    /// characters, that is, fewer than 32 or more than 96 octets.
    pub fn from_random_octets(octets: &[u8]) -> Result<Self, SettingsError> {
        CodeVerifier::new(base64url(octets)).map_err(|_| {
            SettingsError::new(
                "random_octets",
                format!(
                    "{} octets make a verifier of the wrong length",
                    octets.len()
                ),
                "supply 32 to 96 random octets; 32 is recommended (RFC 7636 §4.1)",
            )
        })
    }

    /// The verifier itself, as sent in the token request.
    pub fn secret(&self) -> &str {
        &self.0
    }

    /// The challenge for this verifier under `method` (RFC 7636 §4.2).
    pub fn challenge(&self, method: CodeChallengeMethod) -> CodeChallenge {
        let value = match method {
            CodeChallengeMethod::Plain => self.0.clone(),
            CodeChallengeMethod::S256 => s256(&self.0),
        };
        CodeChallenge { value, method }
    }
}

impl std::fmt::Debug for CodeVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CodeVerifier([redacted])")
    }
}

/// How the challenge is derived from the verifier (RFC 7636 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeChallengeMethod {
    /// `code_challenge = code_verifier`; for clients that cannot hash.
    Plain,
    /// `code_challenge = BASE64URL(SHA256(ASCII(code_verifier)))`.
    S256,
}

impl CodeChallengeMethod {
    /// The value of `code_challenge_method`.
    pub fn name(self) -> &'static str {
        match self {
            CodeChallengeMethod::Plain => "plain",
            CodeChallengeMethod::S256 => "S256",
        }
    }

    /// Method names are case-sensitive (RFC 7636 §4.3); an absent method
    /// means `plain`, which the caller decides.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "plain" => Some(CodeChallengeMethod::Plain),
            "S256" => Some(CodeChallengeMethod::S256),
            _ => None,
        }
    }
}

/// A challenge sent in the authorization request (RFC 7636 §4.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChallenge {
    pub value: String,
    pub method: CodeChallengeMethod,
}

/// `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))` (RFC 7636 §4.2).
pub fn s256(verifier: &str) -> String {
    base64url(&Sha256::digest(verifier.as_bytes()))
}

/// The server's check (RFC 7636 §4.6): recompute the challenge from the
/// verifier with the method the authorization request named, and compare
/// with the challenge it received. The comparison does not stop at the
/// first differing byte, so its timing tells an attacker nothing.
pub fn challenge_matches(
    verifier: &CodeVerifier,
    method: CodeChallengeMethod,
    received_challenge: &str,
) -> bool {
    let computed = verifier.challenge(method).value;
    constant_time_eq(computed.as_bytes(), received_challenge.as_bytes())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 Appendix B.
    const APPENDIX_B_OCTETS: [u8; 32] = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37,
        77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];
    const APPENDIX_B_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const APPENDIX_B_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn appendix_b_verifier_comes_from_its_octets() {
        let verifier = CodeVerifier::from_random_octets(&APPENDIX_B_OCTETS).unwrap();
        assert_eq!(verifier.secret(), APPENDIX_B_VERIFIER);
    }

    #[test]
    fn appendix_b_s256_challenge() {
        let verifier = CodeVerifier::new(APPENDIX_B_VERIFIER).unwrap();
        let challenge = verifier.challenge(CodeChallengeMethod::S256);
        assert_eq!(challenge.value, APPENDIX_B_CHALLENGE);
        assert!(challenge_matches(
            &verifier,
            CodeChallengeMethod::S256,
            APPENDIX_B_CHALLENGE
        ));
    }

    #[test]
    fn plain_challenge_is_the_verifier() {
        let verifier = CodeVerifier::new(APPENDIX_B_VERIFIER).unwrap();
        assert_eq!(
            verifier.challenge(CodeChallengeMethod::Plain).value,
            APPENDIX_B_VERIFIER
        );
        assert!(!challenge_matches(
            &verifier,
            CodeChallengeMethod::Plain,
            APPENDIX_B_CHALLENGE
        ));
    }

    #[test]
    fn verifier_must_be_43_to_128_characters() {
        assert!(CodeVerifier::new("a".repeat(42)).is_err());
        assert!(CodeVerifier::new("a".repeat(43)).is_ok());
        assert!(CodeVerifier::new("a".repeat(128)).is_ok());
        let error = CodeVerifier::new("a".repeat(129)).unwrap_err();
        assert_eq!(error.field, "code_verifier");
    }

    #[test]
    fn verifier_must_use_unreserved_characters() {
        let with_plus = format!("{}+", "a".repeat(43));
        assert!(CodeVerifier::new(with_plus).is_err());
        let with_accent = format!("{}é", "a".repeat(43));
        assert!(CodeVerifier::new(with_accent).is_err());
        assert!(CodeVerifier::new(format!("{}-._~", "a".repeat(40))).is_ok());
    }

    #[test]
    fn too_few_octets_make_no_verifier() {
        let error = CodeVerifier::from_random_octets(&[0u8; 31]).unwrap_err();
        assert_eq!(error.field, "random_octets");
        assert!(CodeVerifier::from_random_octets(&[0u8; 96]).is_ok());
        assert!(CodeVerifier::from_random_octets(&[0u8; 97]).is_err());
    }

    #[test]
    fn method_names_are_case_sensitive() {
        assert_eq!(
            CodeChallengeMethod::from_name("S256"),
            Some(CodeChallengeMethod::S256)
        );
        assert_eq!(CodeChallengeMethod::from_name("s256"), None);
    }

    #[test]
    fn verifier_is_redacted_in_debug() {
        let verifier = CodeVerifier::new(APPENDIX_B_VERIFIER).unwrap();
        assert_eq!(format!("{verifier:?}"), "CodeVerifier([redacted])");
    }
}
