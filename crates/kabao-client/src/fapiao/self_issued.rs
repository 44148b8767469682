//! Self-issued fapiao (F19–F20): uploading the file with its SM3 digest,
//! then inserting the fapiao into the user's card package.

use super::enums::{FapiaoFileType, Scene};
use super::parties::{BuyerInformation, ExtraInformation, FapiaoLine, SellerInformation};
use super::{Fapiao, BASE};
use crate::error::ClientError;
use crate::pay::{encode_path_segment, sm3_hex};
use reqwest::Method;
use serde::{Deserialize, Serialize};

/// An uploaded file's id, valid three days (fapiao and taxi uploads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaUpload {
    /// The id to put in `fapiao_media_id`.
    pub fapiao_media_id: String,
}

/// The `meta` part of upload-fapiao-file, with WeChat's spelling.
#[derive(Serialize)]
struct UploadMeta<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_mchid: Option<&'a str>,
    file_type: &'a FapiaoFileType,
    digest_alogrithm: &'static str,
    digest: String,
}

/// insert-cards (F20) body: up to five self-issued fapiao of one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsertCardsRequest {
    /// For a service provider: the sub-merchant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_mchid: Option<String>,
    /// With or without a WeChat Pay payment.
    pub scene: Scene,
    /// The buyer (`phone`/`email` plaintext; the SDK encrypts them).
    pub buyer_information: BuyerInformation,
    /// The fapiao.
    pub fapiao_card_information: Vec<SelfIssuedFapiao>,
}

/// A fapiao the merchant issued itself, with its uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfIssuedFapiao {
    /// From [`Fapiao::upload_file`].
    pub fapiao_media_id: String,
    /// 发票号码.
    pub fapiao_number: String,
    /// 发票代码.
    pub fapiao_code: String,
    /// RFC 3339 issue time.
    pub fapiao_time: String,
    /// 校验码.
    pub check_code: String,
    /// 密码区.
    pub password: String,
    /// Σ of the lines' `total_amount`, in fen.
    pub total_amount: i64,
    /// Σ of the lines' `tax_amount`.
    pub tax_amount: i64,
    /// Σ of the lines' `amount`.
    pub amount: i64,
    /// 销售方.
    pub seller_information: SellerInformation,
    /// The people on the face.
    pub extra_information: ExtraInformation,
    /// The priced lines.
    pub items: Vec<FapiaoLine>,
    /// Remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

fn mime_of(file_type: &FapiaoFileType) -> &'static str {
    match file_type {
        FapiaoFileType::Pdf => "application/pdf",
        _ => "application/ofd",
    }
}

impl Fapiao<'_> {
    /// `POST fapiao-applications/upload-fapiao-file` (F19): uploads a PDF or
    /// OFD (≤ 2 MB) with its SM3 digest; the media id lives three days.
    pub async fn upload_file(
        &self,
        sub_mchid: Option<&str>,
        file_type: FapiaoFileType,
        file_name: &str,
        file: Vec<u8>,
    ) -> Result<MediaUpload, ClientError> {
        let meta = UploadMeta {
            sub_mchid,
            file_type: &file_type,
            digest_alogrithm: "SM3",
            digest: sm3_hex(&file),
        };
        let target = format!("{BASE}/fapiao-applications/upload-fapiao-file");
        let response = self
            .pay
            .upload(&target, &meta, file_name, mime_of(&file_type), file)
            .await?;
        self.pay.read_json(&response, &[])
    }

    /// `POST fapiao-applications/{fapiao_apply_id}/insert-cards` (F20):
    /// inserts self-issued fapiao into the user's card package; `Ok` means
    /// accepted (202), FAPIAO.CARD_INSERTED follows.
    pub async fn insert_cards(
        &self,
        fapiao_apply_id: &str,
        request: &InsertCardsRequest,
    ) -> Result<(), ClientError> {
        let target = format!(
            "{BASE}/fapiao-applications/{}/insert-cards",
            encode_path_segment(fapiao_apply_id)
        );
        self.pay
            .send_expecting_no_body(
                Method::POST,
                &target,
                Some(request),
                &["buyer_information.phone", "buyer_information.email"],
            )
            .await
            .map(drop)
    }
}
