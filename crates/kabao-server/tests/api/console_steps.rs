//! A person at the console, over plain HTTP: a login that keeps the session
//! cookie, pages fetched with it, and forms posted as a browser posts them
//! (urlencoded, with the `Origin` of the page).

use crate::helpers::{TestApp, ADMIN_TOKEN};
use reqwest::header::{COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::redirect::Policy;

/// A browser's view of the console: its cookie, if logged in.
pub struct Console<'a> {
    pub app: &'a TestApp,
    pub http: reqwest::Client,
    pub cookie: Option<String>,
}

/// An answer: status, `Location` (for redirects) and body.
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl<'a> Console<'a> {
    /// A browser that has not logged in.
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            http: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .unwrap(),
            cookie: None,
        }
    }

    /// Logs in with the admin token; panics unless it is accepted.
    pub async fn logged_in(app: &'a TestApp) -> Self {
        let mut console = Self::new(app);
        let page = console.login(ADMIN_TOKEN).await;
        assert_eq!(page.status, 303, "{}", page.body);
        assert!(console.cookie.is_some(), "the login sets a cookie");
        console
    }

    /// Posts the login form with `token`, keeping any cookie it sets.
    pub async fn login(&mut self, token: &str) -> Page {
        let response = self
            .http
            .post(self.app.url("/_kabao/console/login"))
            .header(ORIGIN, self.app.base_url.clone())
            .form(&[("token", token)])
            .send()
            .await
            .unwrap();
        if let Some(set) = response.headers().get(SET_COOKIE) {
            let set = set.to_str().unwrap().to_owned();
            assert!(
                set.contains("HttpOnly") && set.contains("SameSite=Strict"),
                "{set}"
            );
            self.cookie = Some(set.split(';').next().unwrap().to_owned());
        }
        page(response).await
    }

    fn with_cookie(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.cookie {
            Some(cookie) => request.header(COOKIE, cookie),
            None => request,
        }
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Page {
        let request = self.with_cookie(self.http.get(self.app.url(path)));
        page(request.send().await.unwrap()).await
    }

    /// `GET path`, asserting 200; the HTML.
    pub async fn html(&self, path: &str) -> String {
        let page = self.get(path).await;
        assert_eq!(page.status, 200, "GET {path}: {}", page.body);
        page.body
    }

    /// Posts a form to `path` from the console's own origin.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self
            .with_cookie(self.http.post(self.app.url(path)))
            .header(ORIGIN, self.app.base_url.clone())
            .form(form);
        page(request.send().await.unwrap()).await
    }

    /// Posts a form and follows its 303; the page it leads to.
    pub async fn submit(&self, path: &str, form: &[(&str, &str)]) -> String {
        let answer = self.post(path, form).await;
        assert_eq!(answer.status, 303, "POST {path}: {}", answer.body);
        self.html(answer.location.as_deref().unwrap()).await
    }
}

async fn page(response: reqwest::Response) -> Page {
    Page {
        status: response.status().as_u16(),
        location: response
            .headers()
            .get(LOCATION)
            .map(|l| l.to_str().unwrap().to_owned()),
        body: response.text().await.unwrap(),
    }
}

/// Every console page that needs no id.
pub const PAGES: [&str; 6] = [
    "/_kabao/console",
    "/_kabao/console/tenants",
    "/_kabao/console/fapiao",
    "/_kabao/console/callbacks",
    "/_kabao/console/pushes",
    "/_kabao/console/controls",
];
