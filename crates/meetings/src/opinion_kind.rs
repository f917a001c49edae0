//! A deliberation opinion (审议意见) as a kind of tracked item: the standing
//! committee's opinion on a report it heard goes to the units that handle
//! it, who report back within the period the deployment sets (no statute
//! fixes one); the unit head signs the report; the committee's office rates
//! the result. Its page is the output's.

use app::local_rule::Article;
use app::notify::Audience;
use axum::http::StatusCode;
use axum::response::Response;
use engine::kind::{Kind, Notice};
use engine::rules::{
    Cite, DeadlineRule, Evaluator, KindRules, PeriodRule, PeriodSource, Permissions, Scale,
    SignoffChain,
};
use engine::store::ItemRow;
use futures_util::future::BoxFuture;
use kernel::roles::Permission;
use webkit::AppState;
use webkit::auth::Session;
use webkit::error::AppResult;

pub const RULES: KindRules = KindRules {
    kind: "deliberation_opinion",
    noun: "审议意见",
    proposer_noun: "常委会",
    // The period is the deployment's (opinion_reply_months): the law sets none.
    reply: DeadlineRule {
        period: PeriodSource::MonthsSetting("opinion_reply_months"),
        cite: Cite::Unstated,
        label: "按本级人大常委会规定的期限研究处理",
    },
    complex_reply: None,
    // A unit that is not the one to handle it sends it back as a suggestion
    // would be (the same local period).
    return_window: PeriodRule {
        period: PeriodSource::WorkingDaysSetting("unit_return_working_days"),
        cite: Cite::Local(Article::Return),
    },
    opinion: PeriodRule {
        period: PeriodSource::MonthsSetting("opinion_months"),
        cite: Cite::Unstated,
    },
    extension: None,
    signoff: SignoffChain::UnitHead,
    contact_before_reply: None,
    evaluator: Evaluator::Staff,
    scale: Scale::Result,
    rehandling: None,
    result_categories: None,
    permissions: Permissions {
        manage: Permission::ManageMeetings,
        handle: Permission::HandleItems,
        sign_off: Permission::SignOffReplies,
        evaluate: Some(Permission::ManageMeetings),
    },
};

pub struct OpinionKind;

impl Kind for OpinionKind {
    fn rules(&self) -> &'static KindRules {
        &RULES
    }

    /// No deputy proposes it; the congress's staff hear of it instead.
    fn proposer_audience(&self, item: &ItemRow) -> Vec<Audience> {
        vec![Audience::CongressStaff(item.congress_id)]
    }

    fn notice(&self, n: Notice, item: &ItemRow, detail: &str) -> (String, String) {
        let t = &item.title;
        match n {
            Notice::Assigned => (
                "审议意见已交办".into(),
                format!("《{t}》已交{detail}研究处理"),
            ),
            Notice::Extended => ("期限延期".into(), format!("《{t}》的期限延至 {detail}")),
            Notice::Replied => (
                "审议意见研究处理情况已报送".into(),
                format!("《{t}》的研究处理情况已报送，请审阅并测评"),
            ),
            Notice::Closed => ("审议意见已办结".into(), format!("《{t}》已办结")),
        }
    }

    fn page<'a>(
        &'a self,
        st: &'a AppState,
        session: &'a Session,
        actor: &'a app::Actor,
        item: &'a ItemRow,
        kept: webkit::extract::Kept,
        status: StatusCode,
    ) -> BoxFuture<'a, AppResult<Response>> {
        Box::pin(async move {
            let id = item.subject_id.unwrap_or(0);
            crate::web::pages::output::page(st, session, actor, id, kept, status).await
        })
    }
}
