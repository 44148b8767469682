//! A console form as shown again after a refusal: the values typed in, a
//! message beside each refused field, and one for the form as a whole.

use super::control::ControlError;
use askama::Template;
use std::collections::HashMap;

/// The state of one form on a page.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    /// Which form of the page this is (its action's last segment).
    pub name: String,
    /// What was typed, by field name.
    pub values: HashMap<String, String>,
    /// Messages by field name.
    pub errors: HashMap<String, String>,
    /// A message about the whole form.
    pub message: Option<String>,
}

impl FormState {
    /// A form named `name` holding `values`, with no message yet.
    pub fn filled(name: &str, values: HashMap<String, String>) -> Self {
        Self {
            name: name.to_owned(),
            values,
            ..Self::default()
        }
    }

    /// What was typed in `field` (trimmed), if anything.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.values
            .get(field)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Records a message beside `field`.
    pub fn refuse(&mut self, field: &str, message: impl Into<String>) {
        self.errors.insert(field.to_owned(), message.into());
    }

    /// Whether any message was recorded.
    pub fn refused(&self) -> bool {
        !self.errors.is_empty() || self.message.is_some()
    }

    /// Places a control API refusal beside the field it names when the form
    /// has that field, or on the whole form.
    pub fn control_error(&mut self, e: ControlError, fields: &[&str]) {
        // A JSON decoding message ends with where in the body it failed,
        // which means nothing to a person who filled in a form.
        let message = match e.message.find(" at line ") {
            Some(at) => e.message[..at].to_owned(),
            None => e.message,
        };
        match e.field {
            Some(field) if fields.contains(&field.as_str()) => self.refuse(&field, message),
            _ => self.message = Some(message),
        }
    }

    /// `field` as a whole number, or a message beside it.
    pub fn integer(&mut self, field: &str) -> Option<i64> {
        let parsed = self.get(field).map(str::parse::<i64>);
        match parsed {
            Some(Ok(n)) => Some(n),
            Some(Err(_)) => {
                self.refuse(field, "must be a whole number");
                None
            }
            None => {
                self.refuse(field, "is required");
                None
            }
        }
    }

    /// A labelled input for `field` (`kind` is its type), its typed value
    /// kept and its message (if any) beside it.
    pub fn input(&self, field: &str, label: &str, kind: &str) -> String {
        self.control(field, label, kind, &[])
    }

    /// A labelled select for `field` among `options` (value, label).
    pub fn select(&self, field: &str, label: &str, options: &[(String, String)]) -> String {
        self.control(field, label, "text", options)
    }

    fn control(
        &self,
        field: &str,
        label: &str,
        kind: &str,
        options: &[(String, String)],
    ) -> String {
        Input {
            id: format!("{}-{field}", self.name),
            name: field,
            label,
            kind,
            value: self.values.get(field).map(String::as_str).unwrap_or(""),
            error: self.errors.get(field).map(String::as_str),
            options,
        }
        .render()
        .unwrap_or_default()
    }

    /// The form-wide message, as HTML (empty when none).
    pub fn message_html(&self) -> String {
        FormMessage {
            message: self.message.as_deref(),
        }
        .render()
        .unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "console/input.html")]
struct Input<'a> {
    id: String,
    name: &'a str,
    label: &'a str,
    kind: &'a str,
    value: &'a str,
    error: Option<&'a str>,
    options: &'a [(String, String)],
}

#[derive(Template)]
#[template(path = "console/message.html")]
struct FormMessage<'a> {
    message: Option<&'a str>,
}

/// A form state for each form name in `names`, with `current` (the one just
/// refused) in its place.
pub fn forms(names: &[&str], current: Option<FormState>) -> HashMap<String, FormState> {
    let mut all: HashMap<String, FormState> = names
        .iter()
        .map(|n| (n.to_string(), FormState::filled(n, HashMap::new())))
        .collect();
    if let Some(form) = current {
        all.insert(form.name.clone(), form);
    }
    all
}
