//! The reimbursement status of an invoice card and the moves between them.

use kabao_protocol::oa::OaErrcode;

/// `INVOICE_REIMBURSE_*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReimburseStatus {
    /// In the card package, free to be submitted.
    Init,
    /// In a reimbursement flow; cannot be submitted again.
    Lock,
    /// Reimbursed; irreversible.
    Closure,
    /// Red-lettered by the platform.
    Cancel,
}

impl ReimburseStatus {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Init => "INVOICE_REIMBURSE_INIT",
            Self::Lock => "INVOICE_REIMBURSE_LOCK",
            Self::Closure => "INVOICE_REIMBURSE_CLOSURE",
            Self::Cancel => "INVOICE_REIMBURSE_CANCEL",
        }
    }

    /// Reads the wire spelling.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "INVOICE_REIMBURSE_INIT" => Some(Self::Init),
            "INVOICE_REIMBURSE_LOCK" => Some(Self::Lock),
            "INVOICE_REIMBURSE_CLOSURE" => Some(Self::Closure),
            "INVOICE_REIMBURSE_CANCEL" => Some(Self::Cancel),
            _ => None,
        }
    }
}

/// Who asks for a status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changer<'a> {
    /// A reimburser's Official Account (`/card/invoice/reimburse/*`).
    Reimburser(&'a str),
    /// The invoicing platform that inserted the card (`platform/updatestatus`).
    Platform,
}

/// Checks one move and returns who holds the lock afterwards.
///
/// Reimbursers: INIT→LOCK, LOCK→INIT and LOCK→CLOSURE, only by the app
/// holding the lock (72023 otherwise); CLOSURE without LOCK → 72039; a
/// cancelled card → 72060, a closed one → 72061. The platform may set any
/// status except on a closed card (72061), which is how red-lettering sets
/// CANCEL.
pub fn transition(
    current: ReimburseStatus,
    holder: Option<&str>,
    next: ReimburseStatus,
    changer: Changer<'_>,
) -> Result<Option<String>, OaErrcode> {
    use ReimburseStatus::*;
    if current == Closure {
        return Err(OaErrcode::InvoiceClosed);
    }
    match changer {
        Changer::Platform => Ok(match next {
            Lock => holder.map(str::to_owned),
            _ => None,
        }),
        Changer::Reimburser(appid) => {
            if current == Cancel {
                return Err(OaErrcode::InvoiceCancelled);
            }
            if current == Lock && holder.is_some_and(|h| h != appid) {
                return Err(OaErrcode::InvoiceLockedByOthers);
            }
            match (current, next) {
                (Init, Lock) | (Lock, Lock) => Ok(Some(appid.to_owned())),
                (Lock, Init) | (Init, Init) => Ok(None),
                (Lock, Closure) => Ok(None),
                (Init, Closure) => Err(OaErrcode::InvoiceMustBeLockFirst),
                (_, Cancel) => Err(OaErrcode::InvoiceStatusError),
                _ => Err(OaErrcode::InvoiceStatusError),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ReimburseStatus::*;
    use super::*;

    #[test]
    fn a_reimburser_locks_then_closes() {
        let holder = transition(Init, None, Lock, Changer::Reimburser("wxA")).unwrap();
        assert_eq!(holder.as_deref(), Some("wxA"));
        assert_eq!(
            transition(Lock, Some("wxA"), Closure, Changer::Reimburser("wxA")),
            Ok(None)
        );
    }

    #[test]
    fn the_rules_name_the_real_codes() {
        assert_eq!(
            transition(Init, None, Closure, Changer::Reimburser("wxA")),
            Err(OaErrcode::InvoiceMustBeLockFirst)
        );
        assert_eq!(
            transition(Lock, Some("wxA"), Init, Changer::Reimburser("wxB")),
            Err(OaErrcode::InvoiceLockedByOthers)
        );
        assert_eq!(
            transition(Cancel, None, Lock, Changer::Reimburser("wxA")),
            Err(OaErrcode::InvoiceCancelled)
        );
        assert_eq!(
            transition(Closure, None, Init, Changer::Platform),
            Err(OaErrcode::InvoiceClosed)
        );
        assert_eq!(
            transition(Lock, Some("wxA"), Cancel, Changer::Platform),
            Ok(None)
        );
    }
}
