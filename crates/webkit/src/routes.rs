//! A page router that remembers its paths, so the route × role matrix can
//! check that every page route has a row (the API's routes are listed by
//! the OpenAPI document).

use axum::Router;
use axum::routing::MethodRouter;

use crate::AppState;

#[derive(Default)]
pub struct Pages {
    router: Router<AppState>,
    paths: Vec<&'static str>,
}

impl Pages {
    pub fn new() -> Pages {
        Pages::default()
    }

    pub fn route(mut self, path: &'static str, method_router: MethodRouter<AppState>) -> Pages {
        self.router = self.router.route(path, method_router);
        self.paths.push(path);
        self
    }

    pub fn merge(mut self, other: Pages) -> Pages {
        self.router = self.router.merge(other.router);
        self.paths.extend(other.paths);
        self
    }

    pub fn paths(&self) -> &[&'static str] {
        &self.paths
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}
