//! Complete flows in mock mode: the client's steps carried to the in-page
//! servers, each exchange recorded in a `Trace` for the sequence diagram.

pub mod device;
pub mod oauth1;
pub mod oauth2;
