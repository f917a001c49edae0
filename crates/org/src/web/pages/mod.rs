//! HTML pages of the foundation, one module per part. Each handler extracts,
//! calls one use case and renders; htmx requests get the fragment they target.

mod accounts;
mod admin;
mod announcements;
mod bodies;
mod calendar;
mod deputies;
mod home;
mod inbox;
mod logs;
mod org;
mod session;
mod settings;
pub(crate) mod units;

use webkit::Pages;

pub fn router() -> Pages {
    Pages::new()
        .merge(session::router())
        .merge(home::router())
        .merge(announcements::router())
        .merge(org::router())
        .merge(bodies::router())
        .merge(units::router())
        .merge(deputies::router())
        .merge(admin::router())
        .merge(settings::router())
        .merge(accounts::router())
        .merge(logs::router())
        .merge(calendar::router())
        .merge(inbox::router())
}
