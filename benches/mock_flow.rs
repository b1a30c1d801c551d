//! One complete mock OAuth 2.0 flow: a new world (key generation included),
//! discovery, authorization, consent, token exchange, an API call, refresh
//! and userinfo, all through the client core and the in-page servers.

// Criterion runs natively; the browser build has nothing to measure here.
#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::{Criterion, criterion_group};
    use std::hint::black_box;

    use oauth_playground::flows::oauth2::{OAuth2Options, run};
    use oauth_playground::mock::World;
    use oauth_playground::mock::authorization_server::Decision;

    fn flow(c: &mut Criterion) {
        let options = OAuth2Options::default();
        let decision = Decision::Approve {
            user: 0,
            scopes: vec!["openid".into(), "profile".into(), "offline_access".into()],
        };
        c.bench_function("mock_oauth2_flow", |b| {
            b.iter(|| {
                let mut world = World::new(b"bench", 1_767_225_600);
                run(&mut world, black_box(&options), Some(decision.clone()))
            })
        });
    }

    criterion_group!(benches, flow);
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
