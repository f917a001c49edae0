//! HTML pages of the suggestion loop.

mod cosign;
mod list;
mod list_query;
mod stats;
mod suggestions;

pub(crate) use suggestions::detail_page;
mod work;

use webkit::Pages;

pub fn router() -> Pages {
    Pages::new()
        .merge(cosign::router())
        .merge(suggestions::router())
        .merge(work::router())
        .merge(stats::router())
}
