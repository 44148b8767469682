//! The enumerations of the fapiao family (fapiao-domain.md §4.4 and the
//! YAML), each with an `Other` for values WeChat may add.

use crate::wire_enum::wire_enum;

wire_enum! {
    /// Whether the fapiao is for a WeChat Pay payment (`fapiao_apply_id` is
    /// then the transaction id) or not (the user filled in the title first).
    Scene {
        /// 微信支付场景.
        WithWechatpay = "WITH_WECHATPAY",
        /// 非微信支付场景.
        WithoutWechatpay = "WITHOUT_WECHATPAY",
    }
}

wire_enum! {
    /// Where the title page opens (title-url `source`).
    TitleSource {
        /// An H5 page in the WeChat browser.
        Web = "WEB",
        /// A mini program.
        Miniprogram = "MINIPROGRAM",
    }
}

wire_enum! {
    /// The buyer: a person or an organisation.
    BuyerType {
        /// 个人.
        Individual = "INDIVIDUAL",
        /// 单位.
        Organization = "ORGANIZATION",
        /// The taxi YAML's spelling of an organisation.
        Corporation = "CORPORATION",
    }
}

wire_enum! {
    /// 普票 or 专票.
    FapiaoBillType {
        /// 增值税普通发票.
        CommFapiao = "COMM_FAPIAO",
        /// 增值税专用发票.
        VatFapiao = "VAT_FAPIAO",
    }
}

wire_enum! {
    /// The VAT treatment of a line.
    TaxPreferMark {
        /// Taxed normally.
        NoFavorable = "NO_FAVORABLE",
        /// Outside VAT (不征税).
        OutsideVat = "OUTSIDE_VAT",
        /// Exempt (免税).
        VatExempt = "VAT_EXEMPT",
        /// Zero-rated (普通零税率).
        NormalZeroRated = "NORMAL_ZERO_RATED",
        /// Export zero-rated (出口零税率).
        ExportZeroRated = "EXPORT_ZERO_RATED",
    }
}

wire_enum! {
    /// Where one fapiao of an application stands.
    FapiaoStatus {
        /// Accepted, being issued.
        IssueAccepted = "ISSUE_ACCEPTED",
        /// Issued (blue fapiao).
        Issued = "ISSUED",
        /// Reversal accepted.
        ReverseAccepted = "REVERSE_ACCEPTED",
        /// Reversed (red fapiao issued).
        Reversed = "REVERSED",
        /// Issuing failed (数电); retry with a new `fapiao_id`.
        IssueFailed = "ISSUE_FAILED",
        /// Reversal failed (数电).
        ReverseFailed = "REVERSE_FAILED",
    }
}

wire_enum! {
    /// Where the fapiao's card in the user's card package stands.
    CardStatus {
        /// Insertion accepted.
        InsertAccepted = "INSERT_ACCEPTED",
        /// In the card package.
        Inserted = "INSERTED",
        /// Removal accepted.
        DiscardAccepted = "DISCARD_ACCEPTED",
        /// Removed.
        Discarded = "DISCARDED",
    }
}

wire_enum! {
    /// Why a fapiao is reversed (the YAML's example sends free text such as
    /// "退款", kept as `Other`).
    ReverseReason {
        /// 开票有误.
        IssueError = "ISSUE_ERROR",
        /// 销货退回.
        SalesReturn = "SALES_RETURN",
        /// 服务中止 (WeChat's spelling).
        ServiceSuspention = "SERVICE_SUSPENTION",
        /// 销售折让.
        SalesDiscount = "SALES_DISCOUNT",
    }
}

wire_enum! {
    /// The format of a self-issued fapiao file.
    FapiaoFileType {
        /// PDF.
        Pdf = "PDF",
        /// OFD.
        Ofd = "OFD",
    }
}

wire_enum! {
    /// The fapiao mode an invitation asks a merchant to authorise.
    FapiaoMode {
        /// Third-party or self-issued fapiao.
        ThirdOrSelfFapiao = "THIRD_OR_SELF_FAPIAO",
        /// Tencent's 数电 mode.
        TencentDigitalTax = "TENCENT_DIGITAL_TAX",
    }
}

wire_enum! {
    /// A 数电 ability.
    AbilityType {
        /// General fapiao.
        BaseAbility = "BASE_ABILITY",
        /// Passenger transport.
        PassengerTransportAbility = "PASSENGER_TRANSPORT_ABILITY",
        /// Real-estate leasing.
        RealEstateAbility = "REAL_ESTATE_ABILITY",
        /// Refined oil.
        RefinedOilAbility = "REFINED_OIL_ABILITY",
    }
}

wire_enum! {
    /// How an invitation ended.
    InviteStatus {
        /// The merchant accepted.
        MchInviteSucc = "MCH_INVITE_SUCC",
        /// The invitation failed.
        MchInviteFailed = "MCH_INVITE_FAILED",
    }
}
