//! The Official Account error codes used by the invoice APIs.

/// Declares [`OaErrcode`] with each variant's wire code and English `errmsg`.
macro_rules! oa_errcodes {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal, $msg:literal;)+) => {
        /// Official Account error codes with their wire `errcode` and the
        /// English `errmsg` the real service returns.
        ///
        /// The server answers with these; the SDK maps received codes back.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum OaErrcode {
            $($(#[doc = $doc])* $variant,)+
        }

        const ALL: &[OaErrcode] = &[$(OaErrcode::$variant,)+];

        impl OaErrcode {
            /// The wire `errcode`.
            pub fn code(self) -> i64 {
                match self { $(Self::$variant => $code,)+ }
            }

            /// The wire `errmsg`, without the trace suffix the real service appends.
            pub fn errmsg(self) -> &'static str {
                match self { $(Self::$variant => $msg,)+ }
            }
        }
    };
}

oa_errcodes! {
    /// 0: success.
    Ok = 0, "ok";
    /// -1: transient failure; retry.
    SystemError = -1, "system error";
    /// 40001: wrong or superseded access token (wechatpy retries it without bound).
    InvalidCredential = 40001, "invalid credential, access_token is invalid or not latest";
    /// 40002: `grant_type` is not `client_credential`.
    InvalidGrantType = 40002, "invalid grant_type";
    /// 40013: unknown appid.
    InvalidAppid = 40013, "invalid appid";
    /// 40014: malformed access token.
    InvalidAccessToken = 40014, "invalid access_token";
    /// 40066: unknown path.
    InvalidUrl = 40066, "invalid url";
    /// 40097: invalid arguments.
    InvalidArgs = 40097, "invalid args";
    /// 40125: wrong appsecret.
    InvalidAppsecret = 40125, "invalid appsecret";
    /// 40164: caller IP not in the whitelist.
    InvalidIp = 40164, "invalid ip, not in whitelist";
    /// 41001: no `access_token` query parameter.
    AccessTokenMissing = 41001, "access_token missing";
    /// 41002: no `appid`.
    AppidMissing = 41002, "appid missing";
    /// 41004: no `secret`.
    AppsecretMissing = 41004, "appsecret missing";
    /// 42001: the access token expired.
    AccessTokenExpired = 42001, "access_token expired";
    /// 43001: the endpoint takes GET.
    RequireGet = 43001, "require GET method";
    /// 43002: the endpoint takes POST.
    RequirePost = 43002, "require POST method";
    /// 44002: empty POST body.
    EmptyPostData = 44002, "empty post data";
    /// 45009: daily quota reached.
    ApiDailyQuota = 45009, "reach max api daily quota limit";
    /// 45011: per-minute quota reached.
    ApiMinuteQuota = 45011, "api minute-quota reach limit";
    /// 47001: the body is not valid JSON.
    DataFormatError = 47001, "data format error";
    /// 48001: the account lacks this API permission.
    ApiUnauthorized = 48001, "api unauthorized";
    /// 40073: the card_id is not a template of the caller.
    InvalidCardId = 40073, "invalid card id";
    /// 40056: the card code is not valid.
    InvalidCode = 40056, "invalid serial code";
    /// 40078: the card is not in a state that allows the operation.
    InvalidCardStatus = 40078, "invalid card status";
    /// 72015: not allowed to create invoices.
    UnauthorizedCreateInvoice = 72015, "unauthorized create invoice";
    /// 72017: invalid invoice title.
    InvalidInvoiceTitle = 72017, "invalid invoice title";
    /// 72018: the order's invoice was already inserted for the user.
    DuplicateOrderId = 72018, "duplicate order id, invoice had inserted to user";
    /// 72023: another party holds the invoice lock.
    InvoiceLockedByOthers = 72023, "invoice has been lock by others";
    /// 72024: the invoice status forbids the operation.
    InvoiceStatusError = 72024, "invoice status error";
    /// 72025: bad invoice token.
    InvoiceTokenError = 72025, "invoice token error";
    /// 72027: bad invoice action.
    InvoiceActionError = 72027, "invoice action error";
    /// 72028: the payment merchant info was never set.
    InvoiceNeverSetPayMchInfo = 72028, "invoice never set pay mch info";
    /// 72029: the authorization fields were never set.
    InvoiceNeverSetAuthField = 72029, "invoice never set auth field";
    /// 72030: invalid mchid.
    InvalidMchid = 72030, "invalid mchid";
    /// 72031: a missing or invalid invoice field (detail appended to errmsg).
    InvalidParams = 72031, "invalid params";
    /// 72035: the merchant rejected the insert.
    BizRejectInsert = 72035, "biz reject insert";
    /// 72036: concurrent operation on the invoice.
    InvoiceBusy = 72036, "invoice is busy, try again please";
    /// 72037: the invoice belongs to someone else.
    InvoiceOwnerError = 72037, "invoice owner error";
    /// 72038: the user never authorized this order.
    InvoiceOrderNeverAuth = 72038, "invoice order never auth";
    /// 72039: the invoice must be locked first.
    InvoiceMustBeLockFirst = 72039, "invoice must be lock first";
    /// 72040: the invoice PDF is unusable.
    InvoicePdfError = 72040, "invoice pdf error";
    /// 72041: billing code and number are invalid.
    BillingCodeAndNoInvalid = 72041, "billing_code and billing_no invalid";
    /// 72042: billing code and number were already used.
    BillingCodeAndNoRepeated = 72042, "billing_code and billing_no repeated";
    /// 72043: billing code or number has the wrong length.
    BillingCodeOrNoSizeError = 72043, "billing_code or billing_no size error";
    /// 72044: the scanned text expired.
    ScanTextOutOfTime = 72044, "scan text out of time";
    /// 72045: `check_code` is empty.
    CheckCodeEmpty = 72045, "check_code is empty";
    /// 72046: `pdf_url` is invalid.
    PdfUrlInvalid = 72046, "pdf_url is invalid";
    /// 72047: the PDF's billing code or number does not match.
    PdfBillingCodeOrNoError = 72047, "pdf billing_code or pdf billing_no is error";
    /// 72048: too many invoices inserted under one authorization.
    InsertTooManyNeedAuthAgain = 72048, "insert too many invoice, need auth again";
    /// 72049: never authorized.
    NeverAuth = 72049, "never auth";
    /// 72050: the authorization expired.
    AuthExpired = 72050, "auth expired, need auth again";
    /// 72053: the user never authorized.
    UserNeverAuth = 72053, "user never auth";
    /// 72054: an insert is in progress.
    InvoicesInserting = 72054, "invoices is inserting, wait a moment please";
    /// 72056: `order_id` was already used.
    OrderIdRepeated = 72056, "order_id repeated, please check order_id";
    /// 72057: the daily insert limit was reached.
    TodayInsertLimit = 72057, "today insert limit";
    /// 72060: the invoice was cancelled.
    InvoiceCancelled = 72060, "this invoice has been cancelled, check the reimburse_status please";
    /// 72061: the invoice was closed.
    InvoiceClosed = 72061, "this invoice has been closed, check the reimburse_status please";
    /// 72063: the merchant contact was never set.
    BizContactEmpty = 72063, "biz contact is empty, set contact first please";
}

impl OaErrcode {
    /// The code with wire value `code`, if this crate knows it.
    pub fn from_code(code: i64) -> Option<Self> {
        ALL.iter().copied().find(|c| c.code() == code)
    }

    /// Every known code, for tables and exhaustive tests.
    pub fn all() -> &'static [OaErrcode] {
        ALL
    }
}

impl std::fmt::Display for OaErrcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code(), self.errmsg())
    }
}
