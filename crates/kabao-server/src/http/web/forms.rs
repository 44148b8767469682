//! Form pages without JavaScript: fields that keep what the person typed,
//! each with its own message beside it when the server refuses the value,
//! on the shared layout. The authorisation, title and invitation pages are
//! built from these.

use super::html::render;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use std::collections::HashMap;

/// One choice of a select or a datalist.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Submitted value.
    pub value: String,
    /// What the person sees.
    pub text: String,
    /// Chosen now.
    pub selected: bool,
}

/// One input or select, its value and its message.
#[derive(Debug, Clone)]
pub struct Field {
    /// Form name and element id (letters, digits and `_` only).
    pub name: String,
    /// Label text.
    pub label: String,
    /// Current value (what the person typed, or the stored value).
    pub value: String,
    /// `text`, `email`, `tel`.
    pub input_type: &'static str,
    /// Marked required.
    pub required: bool,
    /// Shown but not editable.
    pub readonly: bool,
    /// Id of a datalist of suggestions.
    pub list: Option<String>,
    /// Non-empty for a select.
    pub options: Vec<Choice>,
    /// Why the server refused the value.
    pub error: Option<String>,
    /// A short help line.
    pub hint: Option<String>,
}

impl Field {
    /// A text input.
    pub fn text(name: &str, label: &str) -> Self {
        Self {
            name: name.to_owned(),
            label: label.to_owned(),
            value: String::new(),
            input_type: "text",
            required: false,
            readonly: false,
            list: None,
            options: Vec::new(),
            error: None,
            hint: None,
        }
    }

    /// A select of `(value, text)` choices; the first is chosen until a
    /// value says otherwise.
    pub fn select(name: &str, label: &str, choices: &[(&str, &str)]) -> Self {
        let mut field = Self::text(name, label);
        field.options = choices
            .iter()
            .enumerate()
            .map(|(i, (value, text))| Choice {
                value: (*value).to_owned(),
                text: (*text).to_owned(),
                selected: i == 0,
            })
            .collect();
        field.value = choices.first().map(|c| c.0.to_owned()).unwrap_or_default();
        field
    }

    /// Marks the field required (or not).
    pub fn required(mut self, required: bool) -> Self {
        self.required = required;
        self
    }

    /// Sets the input type (`email`, `tel`).
    pub fn kind(mut self, input_type: &'static str) -> Self {
        self.input_type = input_type;
        self
    }

    /// Adds a help line.
    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_owned());
        self
    }

    /// Sets the value (a select chooses the matching option, if any).
    pub fn set_value(&mut self, value: &str) {
        self.value = value.to_owned();
        if self.options.iter().any(|o| o.value == value) {
            for option in &mut self.options {
                option.selected = option.value == value;
            }
        }
    }
}

/// A datalist of suggestions for an input.
#[derive(Debug, Clone)]
pub struct Datalist {
    /// Its id (the input's `list`).
    pub id: String,
    /// The suggestions.
    pub options: Vec<Choice>,
}

/// A line of the summary card above the form.
#[derive(Debug, Clone)]
pub struct SummaryLine {
    /// Bold lead (may be empty).
    pub strong: String,
    /// The rest.
    pub text: String,
    /// Small grey text.
    pub muted: bool,
}

impl SummaryLine {
    /// `strong` in bold, then `text`.
    pub fn new(strong: &str, text: &str) -> Self {
        Self {
            strong: strong.to_owned(),
            text: text.to_owned(),
            muted: false,
        }
    }

    /// A small grey line.
    pub fn muted(text: &str) -> Self {
        Self {
            strong: String::new(),
            text: text.to_owned(),
            muted: true,
        }
    }
}

/// A page with a summary and (unless `submit` is None) a POST form.
#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    /// Page title.
    pub title: String,
    /// What the form is about.
    pub summary: Vec<SummaryLine>,
    /// A message that belongs to no single field.
    pub alert: Option<String>,
    /// The fields, in order.
    pub fields: Vec<Field>,
    /// Suggestion lists.
    pub datalists: Vec<Datalist>,
    /// A line under the fields.
    pub note: Option<String>,
    /// The submit button's text; None shows no form (an answered request).
    pub submit: Option<String>,
}

impl FormPage {
    /// An empty page titled `title` with a form submitted by `submit`.
    pub fn new(title: &str, submit: &str) -> Self {
        Self {
            title: title.to_owned(),
            summary: Vec::new(),
            alert: None,
            fields: Vec::new(),
            datalists: Vec::new(),
            note: None,
            submit: Some(submit.to_owned()),
        }
    }

    /// Puts back what the person submitted (or the stored values).
    pub fn fill(&mut self, values: &HashMap<String, String>) {
        for field in &mut self.fields {
            if let Some(value) = values.get(&field.name) {
                field.set_value(value);
            }
        }
    }

    /// Shows `message` beside the field named `field`, or above the form
    /// when no field has that name.
    pub fn refuse(&mut self, field: Option<&str>, message: &str) {
        match field.and_then(|name| self.fields.iter_mut().find(|f| f.name == name)) {
            Some(f) => f.error = Some(message.to_owned()),
            None => self.alert = Some(message.to_owned()),
        }
    }

    /// The page as a response.
    pub fn respond(&self, status: StatusCode) -> Response {
        render(status, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_field_keeps_its_value_and_shows_its_message_beside_it() {
        let mut page = FormPage::new("t", "Submit");
        page.fields.push(Field::text("name", "Name").required(true));
        page.fields
            .push(Field::select("type", "Type", &[("A", "a"), ("B", "b")]));
        let values = HashMap::from([
            ("name".to_owned(), "<x\"y>".to_owned()),
            ("type".to_owned(), "B".to_owned()),
        ]);
        page.fill(&values);
        page.refuse(Some("name"), "is too odd");
        page.refuse(Some("nothing"), "general");
        let html = page.render().unwrap();
        assert!(html.contains("value=\"&#60;x&#34;y&#62;\""), "{html}");
        assert!(html.contains("<option value=\"B\" selected>"), "{html}");
        assert!(html.contains("id=\"name-error\""), "{html}");
        assert!(html.contains("aria-describedby=\"name-error\""), "{html}");
        assert!(html.contains("<p class=\"error\" role=\"alert\">general</p>"));
        assert!(html.contains("<form method=post"));
    }
}
