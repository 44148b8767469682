//! The bad-input matrix as data: a [`Spec`] per endpoint (method, path,
//! family, a base body and which of its fields are required or limited),
//! and the generic [`cases`] that turn a spec into hostile requests, each
//! with the answer it must get.

use serde_json::{json, Value};

/// Which wire rules an endpoint answers by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Official Account: HTTP 200, `{errcode, errmsg}`, errmsg naming the field.
    Oa,
    /// APIv3 signed by the direct merchant: 4xx `{code, message, detail.field}`.
    PayDirect,
    /// APIv3 signed by the service provider.
    PayProvider,
    /// The control API: 4xx `{error, message, field?}`.
    Admin,
    /// A person-facing page or form: HTML, never a 5xx.
    Page,
}

/// What an endpoint's body is.
#[derive(Clone, Copy, Debug)]
pub enum Body {
    /// No body (GET endpoints, and POSTs that take none).
    None,
    /// JSON; the base body's fields are what the per-field classes vary.
    Json(&'static str),
    /// `multipart/form-data` (PDF and fapiao file uploads).
    Multipart,
    /// An HTML form (`application/x-www-form-urlencoded`).
    Form(&'static str),
}

/// One endpoint of the matrix.
#[derive(Clone, Debug)]
pub struct Spec {
    /// The method, upper case, as the router lists it.
    pub method: &'static str,
    /// The path pattern, as the router lists it.
    pub path: &'static str,
    /// The concrete path (patterns filled with guessed ids, plus a query).
    pub target: String,
    pub family: Family,
    pub body: Body,
    /// Fields (paths like `a.b[0].c`) whose absence must be answered naming them.
    pub required: Vec<&'static str>,
    /// Documented string length limits: `limit + 1` characters must be refused
    /// naming the field, `limit` must not be refused for its length.
    pub limits: Vec<(&'static str, usize)>,
    /// Numeric fields documented as decimal (a fraction is no type error).
    pub decimals: Vec<&'static str>,
    /// The errcodes a malformed Official Account body may get (47001, or
    /// what the endpoint documents instead).
    pub format_codes: Vec<i64>,
    /// Whether an empty body is a valid call (the endpoint takes none).
    pub accepts_empty: bool,
}

impl Spec {
    /// An endpoint whose concrete path is its pattern with `{…}` filled by `ids`.
    pub fn new(family: Family, method: &'static str, path: &'static str, body: Body) -> Self {
        Self {
            method,
            path,
            target: fill(path),
            family,
            body,
            required: Vec::new(),
            limits: Vec::new(),
            decimals: Vec::new(),
            format_codes: vec![47001],
            accepts_empty: false,
        }
    }

    /// The errcodes this endpoint documents for a malformed body.
    pub fn format_codes(mut self, codes: &[i64]) -> Self {
        self.format_codes = codes.to_vec();
        self
    }

    /// An empty body is a valid call here.
    pub fn accepts_empty(mut self) -> Self {
        self.accepts_empty = true;
        self
    }

    /// The target with every query value replaced by bytes that are not
    /// UTF-8 (or, without a query, one such parameter added).
    pub fn garbled_target(&self) -> String {
        match self.target.split_once('?') {
            Some((path, query)) => {
                let garbled: Vec<String> = query
                    .split('&')
                    .map(|pair| format!("{}=%FF%FE", pair.split('=').next().unwrap_or(pair)))
                    .collect();
                format!("{path}?{}", garbled.join("&"))
            }
            None => format!("{}?x=%FF%FE", self.target),
        }
    }

    /// Whether the target carries a query (so a garbled one must be refused).
    pub fn has_query(&self) -> bool {
        self.target.contains('?')
    }

    /// Fields whose absence must be named.
    pub fn required(mut self, fields: &[&'static str]) -> Self {
        self.required.extend_from_slice(fields);
        self
    }

    /// Documented length limits.
    pub fn limits(mut self, limits: &[(&'static str, usize)]) -> Self {
        self.limits.extend_from_slice(limits);
        self
    }

    /// Decimal numeric fields.
    pub fn decimals(mut self, fields: &[&'static str]) -> Self {
        self.decimals.extend_from_slice(fields);
        self
    }

    /// A concrete path other than the pattern's default filling (a query, a known id).
    pub fn at(mut self, target: &str) -> Self {
        self.target = target.to_owned();
        self
    }
}

/// Fills `{name}` segments with ids that name nothing stored.
pub fn fill(path: &str) -> String {
    path.split('/')
        .map(|segment| match segment {
            "{fapiao_apply_id}" => "MATRIX0000000000000001",
            "{sub_mchid}" | "{mchid}" => "1900000399",
            "{company_mchid}" => "1900009999",
            "{plate_number}" => "A12345",
            "{driver_license}" => "310101199001011234",
            "{fapiao_id}" => "MATRIXFAPIAO0001",
            "{transaction_id}" => "4200000000000000000000000001",
            "{appid}" => "wxmatrix000000000",
            "{openid}" => "oMatrix000000000000000000000",
            "{family}" => "invoice",
            "{id}" | "{code}" | "{card_code}" | "{key}" | "{link_key}" | "{order_id}" => "999999",
            other if other.starts_with('{') => "999999",
            other => other,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// What one hostile request is.
#[derive(Clone, Debug)]
pub enum Class {
    /// An empty body.
    Empty,
    /// Bytes that are not JSON.
    NotJson,
    /// JSON that is not valid UTF-8 inside a string.
    InvalidUtf8,
    /// A JSON array where an object is expected.
    TopLevelArray,
    /// The first key twice.
    DuplicatedKey(String),
    /// Arrays nested deeper than any parser should follow.
    DeepNesting,
    /// A field set to an array of 100 000 numbers.
    HugeArray(String),
    /// More bytes than the body limit.
    Oversized,
    /// The base JSON body sent as `text/plain` (APIv3 only: OA reads any type).
    WrongContentType,
    /// A method the path does not serve.
    WrongMethod(&'static str),
    /// Garbage in the query string of a GET endpoint.
    BadQuery,
    /// A field set to a value of the wrong JSON type.
    WrongType(String),
    /// A required field removed.
    Missing(String),
    /// A string field of `n` characters.
    Length(String, usize, bool),
    /// An integer field set to a fraction, `i64::MAX + 1`, or a huge negative.
    BadNumber(String, Value),
    /// A string field holding a 4-byte UTF-8 character (APIv3 refuses them).
    FourByte(String),
}

/// Every (path, value) leaf and object/array of a JSON value, in the
/// serde_path_to_error notation (`a.b[0].c`).
pub fn fields(value: &Value) -> Vec<(String, Value)> {
    fn walk(value: &Value, path: String, out: &mut Vec<(String, Value)>) {
        if !path.is_empty() {
            out.push((path.clone(), value.clone()));
        }
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let at = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(v, at, out);
                }
            }
            Value::Array(items) => {
                if let Some(first) = items.first() {
                    walk(first, format!("{path}[0]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// A copy of `base` with the field at `path` replaced (`Some`) or removed (`None`).
pub fn with_field(base: &Value, path: &str, new: Option<Value>) -> Value {
    let mut out = base.clone();
    let mut steps: Vec<Step> = Vec::new();
    for part in path.split('.') {
        let (name, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        steps.push(Step::Key(name.to_owned()));
        for index in indexes.split(['[', ']']).filter(|s| !s.is_empty()) {
            steps.push(Step::Index(index.parse().unwrap()));
        }
    }
    let (last, parents) = steps.split_last().unwrap();
    let mut at = &mut out;
    for step in parents {
        at = match step {
            Step::Key(k) => at.get_mut(k.as_str()).unwrap(),
            Step::Index(i) => at.get_mut(*i).unwrap(),
        };
    }
    match (last, new) {
        (Step::Key(k), Some(v)) => {
            at[k.as_str()] = v;
        }
        (Step::Key(k), None) => {
            at.as_object_mut().unwrap().remove(k.as_str());
        }
        (Step::Index(i), Some(v)) => at[*i] = v,
        (Step::Index(i), None) => {
            at.as_array_mut().unwrap().remove(*i);
        }
    }
    out
}

enum Step {
    Key(String),
    Index(usize),
}

/// A value of another JSON type than `value`.
pub fn wrong_type(value: &Value) -> Value {
    match value {
        Value::Array(_) | Value::Object(_) => json!("not-an-object"),
        _ => json!([1]),
    }
}

/// The hostile requests for `spec`; `other_methods` are methods its path
/// does not serve.
pub fn cases(spec: &Spec, other_methods: &[&'static str]) -> Vec<Class> {
    let mut out: Vec<Class> = other_methods
        .iter()
        .map(|m| Class::WrongMethod(m))
        .collect();
    let pay = matches!(spec.family, Family::PayDirect | Family::PayProvider);
    match spec.body {
        Body::None => {
            if spec.method == "GET" {
                out.push(Class::BadQuery);
            }
        }
        Body::Multipart | Body::Form(_) => {
            out.extend([Class::Empty, Class::NotJson, Class::Oversized]);
        }
        Body::Json(base) => {
            let base: Value = serde_json::from_str(base).expect("spec base body is JSON");
            out.extend([
                Class::Empty,
                Class::NotJson,
                Class::InvalidUtf8,
                Class::TopLevelArray,
                Class::DeepNesting,
                Class::Oversized,
            ]);
            if pay {
                out.push(Class::WrongContentType);
            }
            if let Some((first, _)) = base.as_object().and_then(|m| m.iter().next()) {
                out.push(Class::DuplicatedKey(first.clone()));
            }
            let mut huge_done = false;
            for (path, value) in fields(&base) {
                out.push(Class::WrongType(path.clone()));
                match &value {
                    Value::Array(_) if !huge_done => {
                        out.push(Class::HugeArray(path.clone()));
                        huge_done = true;
                    }
                    Value::Number(n) if n.is_i64() && !spec.decimals.contains(&path.as_str()) => {
                        for bad in [json!(1.5), json!(9223372036854775808u64), json!(-1e30)] {
                            out.push(Class::BadNumber(path.clone(), bad));
                        }
                    }
                    Value::String(_) if pay => out.push(Class::FourByte(path.clone())),
                    _ => {}
                }
            }
            for field in &spec.required {
                out.push(Class::Missing((*field).to_owned()));
            }
            for (field, limit) in &spec.limits {
                out.push(Class::Length((*field).to_owned(), limit + 1, true));
                out.push(Class::Length((*field).to_owned(), *limit, false));
            }
        }
    }
    out
}

/// The bytes and content type `class` sends for `spec` (`None`: no body).
pub fn request_body(
    spec: &Spec,
    class: &Class,
    max_body: usize,
) -> (Option<Vec<u8>>, Option<&'static str>) {
    const JSON: Option<&str> = Some("application/json");
    let base = || -> Value {
        match spec.body {
            Body::Json(b) => serde_json::from_str(b).unwrap(),
            _ => json!({}),
        }
    };
    let form_type = match spec.body {
        Body::Form(_) => Some("application/x-www-form-urlencoded"),
        Body::Multipart => Some("multipart/form-data; boundary=matrixboundary"),
        _ => JSON,
    };
    let json_of = |v: Value| (Some(v.to_string().into_bytes()), JSON);
    match class {
        Class::WrongMethod(_) | Class::BadQuery => match spec.body {
            Body::Json(b) => (Some(b.as_bytes().to_vec()), JSON),
            Body::Form(f) => (Some(f.as_bytes().to_vec()), form_type),
            _ => (None, None),
        },
        Class::Empty => (Some(Vec::new()), form_type),
        Class::NotJson => (Some(b"this is not {json".to_vec()), form_type),
        Class::InvalidUtf8 => {
            let mut bytes = b"{\"".to_vec();
            let key = base()
                .as_object()
                .and_then(|m| m.keys().next().cloned())
                .unwrap_or_else(|| "a".into());
            bytes.extend_from_slice(key.as_bytes());
            bytes.extend_from_slice(b"\":\"\xff\xfe\"}");
            (Some(bytes), JSON)
        }
        Class::TopLevelArray => json_of(json!([base()])),
        Class::DuplicatedKey(key) => {
            let text = base().to_string();
            let first = base()[key.as_str()].to_string();
            let doubled = format!("{{\"{key}\":{first},{}", &text[1..]);
            (Some(doubled.into_bytes()), JSON)
        }
        Class::DeepNesting => {
            let depth = 10_000;
            let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            (Some(text.into_bytes()), JSON)
        }
        Class::HugeArray(path) => {
            let items: Vec<Value> = (0..100_000).map(|i| json!(i)).collect();
            json_of(with_field(&base(), path, Some(Value::Array(items))))
        }
        Class::Oversized => {
            let mut text = String::from("{\"padding\":\"");
            text.push_str(&"x".repeat(max_body + 16));
            text.push_str("\"}");
            (Some(text.into_bytes()), form_type)
        }
        Class::WrongContentType => (Some(base().to_string().into_bytes()), Some("text/plain")),
        Class::WrongType(path) => {
            let current = fields(&base())
                .into_iter()
                .find(|(p, _)| p == path)
                .map(|(_, v)| v)
                .unwrap();
            json_of(with_field(&base(), path, Some(wrong_type(&current))))
        }
        Class::Missing(path) => json_of(with_field(&base(), path, None)),
        Class::Length(path, n, _) => {
            json_of(with_field(&base(), path, Some(json!("9".repeat(*n)))))
        }
        Class::BadNumber(path, bad) => json_of(with_field(&base(), path, Some(bad.clone()))),
        Class::FourByte(path) => json_of(with_field(&base(), path, Some(json!("A\u{1F600}")))),
    }
}

/// The field a class must be answered naming, if any.
pub fn named_field(class: &Class) -> Option<&str> {
    match class {
        Class::WrongType(p)
        | Class::Missing(p)
        | Class::BadNumber(p, _)
        | Class::FourByte(p)
        | Class::HugeArray(p) => Some(p),
        Class::Length(p, _, true) => Some(p),
        Class::DuplicatedKey(k) => Some(k),
        _ => None,
    }
}
