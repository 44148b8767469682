//! The card package (卡包) of a user, as a phone shows it: every Official
//! Account invoice and fiscal bill, fapiao and taxi fapiao card of the user,
//! newest first, with its PDF and a Discard button that does what the
//! control API's discard does. `/_kabao/cards` lists the users.
//!
//! Like the authorisation page, these are the user's own pages and need no
//! admin token; the console (admin) is where tenants and keys are seen.

mod fapiao;
mod oa;
mod taxi;
mod view;

use super::html::{message, message_with_link, render, store_unavailable, Link};
use crate::state::AppState;
use crate::store::StoreError;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::collections::BTreeMap;
use view::{package_path, AppUsers, CardsPage, Family, IndexPage, UserLink};

/// Routes of the card package pages.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/_kabao/cards", get(index))
        .route("/_kabao/cards/{appid}/{openid}", get(show))
        .route(
            "/_kabao/cards/{appid}/{openid}/{family}/{code}/pdf",
            get(pdf),
        )
        .route(
            "/_kabao/cards/{appid}/{openid}/{family}/{code}/discard",
            post(discard),
        )
}

/// Why a card action could not be done.
#[derive(Debug)]
pub enum Refusal {
    /// The user has no such card.
    UnknownCard,
    /// The card has no file to show (yet).
    NoFile,
    /// The store failed.
    Store(StoreError),
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl Refusal {
    fn respond(self, package: &str) -> Response {
        let back = Some(Link {
            href: package.to_owned(),
            text: "返回卡包 · Back to the card package".into(),
        });
        match self {
            Self::UnknownCard => message_with_link(
                StatusCode::NOT_FOUND,
                "找不到这张卡",
                &["This user has no such card."],
                back,
            ),
            Self::NoFile => message_with_link(
                StatusCode::NOT_FOUND,
                "没有文件",
                &["This card has no file to show yet."],
                back,
            ),
            Self::Store(e) => {
                tracing::error!(error = %e, "a card package action");
                store_unavailable()
            }
        }
    }
}

fn unknown_user() -> Response {
    message_with_link(
        StatusCode::NOT_FOUND,
        "找不到用户",
        &["No such user: kabao knows no user with this appid and openid, and no card was inserted for one."],
        Some(Link {
            href: "/_kabao/cards".into(),
            text: "所有用户 · All users".into(),
        }),
    )
}

/// `GET /_kabao/cards`: every provisioned user, by app.
async fn index(State(state): State<AppState>) -> Response {
    let (apps, users) = match (state.store.apps().await, state.store.users(None).await) {
        (Ok(apps), Ok(users)) => (apps, users),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "listing users");
            return store_unavailable();
        }
    };
    let mut grouped: BTreeMap<String, AppUsers> = BTreeMap::new();
    for user in users {
        let appid = user.appid.as_str().to_owned();
        let entry = grouped.entry(appid.clone()).or_insert_with(|| AppUsers {
            name: apps
                .iter()
                .find(|a| a.appid.as_str() == appid)
                .map(|a| a.name.clone())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| appid.clone()),
            appid: appid.clone(),
            users: Vec::new(),
        });
        let openid = user.openid.as_str().to_owned();
        entry.users.push(UserLink {
            name: if user.name.is_empty() {
                openid.clone()
            } else {
                user.name.clone()
            },
            href: package_path(&appid, &openid),
            openid,
        });
    }
    let page = IndexPage {
        title: "卡包 · Card packages".into(),
        apps: grouped.into_values().collect(),
    };
    render(StatusCode::OK, &page)
}

/// `GET /_kabao/cards/{appid}/{openid}`: the user's card package.
async fn show(
    State(state): State<AppState>,
    Path((appid, openid)): Path<(String, String)>,
) -> Response {
    match package(&state, &appid, &openid).await {
        Ok(Some(page)) => render(StatusCode::OK, &page),
        Ok(None) => unknown_user(),
        Err(e) => {
            tracing::error!(error = %e, "reading a card package");
            store_unavailable()
        }
    }
}

/// The page, or None for a user kabao does not know and who has no card.
async fn package(
    state: &AppState,
    appid: &str,
    openid: &str,
) -> Result<Option<CardsPage>, StoreError> {
    let path = package_path(appid, openid);
    let user = state
        .store
        .users(Some(appid))
        .await?
        .into_iter()
        .find(|u| u.openid.as_str() == openid);
    let mut cards = oa::cards(state, appid, openid, &path).await?;
    cards.extend(fapiao::cards(state, appid, openid, &path).await?);
    cards.extend(taxi::cards(state, appid, openid, &path).await?);
    if user.is_none() && cards.is_empty() {
        return Ok(None);
    }
    cards.sort_by_key(|c| std::cmp::Reverse(c.sort_key));
    let app_name = state
        .store
        .app(appid)
        .await?
        .map(|a| a.name)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| appid.to_owned());
    let name = user
        .map(|u| u.name)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| openid.to_owned());
    Ok(Some(CardsPage {
        title: format!("{name} 的卡包"),
        owner: format!("{openid} · {app_name}"),
        cards,
    }))
}

/// `GET …/{family}/{code}/pdf`: the card's PDF in the browser.
async fn pdf(
    State(state): State<AppState>,
    Path((appid, openid, family, code)): Path<(String, String, String, String)>,
) -> Response {
    let package = package_path(&appid, &openid);
    let file = match Family::parse(&family) {
        Some(Family::Oa) => match oa::pdf_link(&state, &appid, &openid, &code).await {
            Ok(link) => return (StatusCode::SEE_OTHER, [(header::LOCATION, link)]).into_response(),
            Err(refusal) => return refusal.respond(&package),
        },
        Some(Family::Fapiao) => fapiao::pdf(&state, &appid, &openid, &code).await,
        Some(Family::Taxi) => taxi::pdf(&state, &appid, &openid, &code).await,
        None => Err(Refusal::UnknownCard),
    };
    match file {
        Ok((name, bytes)) => {
            let name = name.replace(['"', '\\', '\r', '\n'], "_");
            (
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("inline; filename=\"{name}\""),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Err(refusal) => refusal.respond(&package),
    }
}

/// `POST …/{family}/{code}/discard`: the user deletes the card, then back
/// to the card package.
async fn discard(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((appid, openid, family, code)): Path<(String, String, String, String)>,
) -> Response {
    let package = package_path(&appid, &openid);
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return message(
            StatusCode::FORBIDDEN,
            "操作被拒绝",
            &["A card is discarded from its own card package page, not from another site."],
        );
    }
    let done = match Family::parse(&family) {
        Some(Family::Oa) => oa::discard(&state, &appid, &openid, &code).await,
        Some(Family::Fapiao) => fapiao::discard(&state, &appid, &openid, &code).await,
        Some(Family::Taxi) => taxi::discard(&state, &appid, &openid, &code).await,
        None => Err(Refusal::UnknownCard),
    };
    match done {
        Ok(()) => (StatusCode::SEE_OTHER, [(header::LOCATION, package)]).into_response(),
        Err(refusal) => refusal.respond(&package),
    }
}
