//! upload-fapiao-file (F19): multipart uploads signed over `meta`.

use super::*;
use crate::fapiao_world::SUB;

#[tokio::test]
async fn an_upload_with_its_sm3_digest_answers_a_media_id() {
    let world = FapiaoWorld::start().await;
    let (status, body) = upload(&world, &world.direct, &pdf("a"), None).await;
    assert_eq!(status, 200, "{body}");
    let id = body["fapiao_media_id"].as_str().unwrap();
    assert_eq!(
        id.len(),
        24,
        "16 bytes in base64 like WeChat's example: {id}"
    );
    let (status, again) = upload(&world, &world.direct, &pdf("a"), None).await;
    assert_eq!(status, 200);
    assert_ne!(again["fapiao_media_id"], body["fapiao_media_id"]);
}

#[tokio::test]
async fn kabao_rendered_pdfs_and_upper_case_digests_are_accepted() {
    let world = FapiaoWorld::start().await;
    let file = kabao_server::domain::fapiao::pdf::render_fapiao_pdf(
        "电子发票（普通发票）",
        &["购买方：张三".to_owned(), "价税合计：¥4299.00".to_owned()],
    );
    let meta = json!({"file_type": "PDF", "digest_alogrithm": "SM3",
        "digest": sm3_hex(&file).to_uppercase()})
    .to_string();
    let (status, body) = upload_signed(&world, &world.direct, &meta, &meta, &file).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn wechatpayv3_style_uploads_without_a_boundary_parameter_are_read() {
    let world = FapiaoWorld::start().await;
    // wechatpayv3: `Content-Type: multipart/form-data` and no boundary, a
    // meta part with no type, file_type "ODF" for an OFD (a ZIP container).
    let ofd = b"PK\x03\x04 an OFD container".to_vec();
    let meta =
        json!({"file_type": "ODF", "digest_alogrithm": "SM3", "digest": sm3_hex(&ofd)}).to_string();
    let body = multipart_body("wechatpayv3boundary", &meta, None, &ofd);
    let (status, answer) =
        send_upload(&world, &world.direct, &meta, "multipart/form-data", body).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer["fapiao_media_id"].is_string());
}

#[tokio::test]
async fn a_wrong_digest_is_param_error_naming_digest() {
    let world = FapiaoWorld::start().await;
    let file = pdf("b");
    let meta = json!({"file_type": "PDF", "digest_alogrithm": "SM3", "digest": sm3_hex(b"other")})
        .to_string();
    let (status, body) = upload_signed(&world, &world.direct, &meta, &meta, &file).await;
    assert_error(status, &body, 400, "PARAM_ERROR", "digest");
}

#[tokio::test]
async fn a_wrong_type_algorithm_or_file_names_the_field() {
    let world = FapiaoWorld::start().await;
    let file = pdf("c");
    let cases = [
        (
            json!({"file_type": "DOCX", "digest_alogrithm": "SM3", "digest": sm3_hex(&file)}),
            file.clone(),
            "file_type",
        ),
        (
            json!({"file_type": "PDF", "digest_alogrithm": "SHA256", "digest": sm3_hex(&file)}),
            file.clone(),
            "digest_alogrithm",
        ),
        (
            json!({"file_type": "PDF", "digest_alogrithm": "SM3"}),
            file.clone(),
            "digest",
        ),
        (
            json!({"file_type": "PDF", "digest_alogrithm": "SM3", "digest": sm3_hex(b"PNG")}),
            b"PNG".to_vec(),
            "file",
        ),
        (
            json!({"file_type": "OFD", "digest_alogrithm": "SM3", "digest": sm3_hex(&file)}),
            file.clone(),
            "file",
        ),
    ];
    for (meta, bytes, field) in cases {
        let meta = meta.to_string();
        let (status, body) = upload_signed(&world, &world.direct, &meta, &meta, &bytes).await;
        assert_error(status, &body, 400, "PARAM_ERROR", field);
    }
}

#[tokio::test]
async fn a_file_over_2_mb_is_param_error_naming_file() {
    let world = FapiaoWorld::start().await;
    let mut big = pdf("big");
    big.resize(2 * 1024 * 1024 + 1, b' ');
    let (status, body) = upload(&world, &world.direct, &big, None).await;
    assert_error(status, &body, 400, "PARAM_ERROR", "file");
    let mut limit = pdf("limit");
    limit.resize(2 * 1024 * 1024, b' ');
    let (status, body) = upload(&world, &world.direct, &limit, None).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn the_signature_covers_the_meta_part() {
    let world = FapiaoWorld::start().await;
    let file = pdf("d");
    let meta = meta_for(&file, None).to_string();
    let other = meta_for(b"%PDF- another", None).to_string();
    let (status, body) = upload_signed(&world, &world.direct, &meta, &other, &file).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["code"], "SIGN_ERROR");
}

#[tokio::test]
async fn a_provider_uploads_for_its_sub_merchant_only_when_it_names_it() {
    let world = FapiaoWorld::start().await;
    let (status, body) = upload(&world, &world.provider, &pdf("e"), Some(SUB)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = upload(&world, &world.provider, &pdf("e"), None).await;
    assert_error(status, &body, 400, "PARAM_ERROR", "sub_mchid");
    let (status, body) = upload(&world, &world.direct, &pdf("e"), Some(SUB)).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "NO_AUTH");
}

#[tokio::test]
async fn a_body_without_a_file_part_names_file() {
    let world = FapiaoWorld::start().await;
    let meta = meta_for(b"x", None).to_string();
    let body = format!(
        "--b1\r\nContent-Disposition: form-data; name=\"meta\"\r\n\r\n{meta}\r\n--b1--\r\n"
    )
    .into_bytes();
    let (status, answer) = send_upload(
        &world,
        &world.direct,
        &meta,
        "multipart/form-data; boundary=b1",
        body,
    )
    .await;
    assert_error(status, &answer, 400, "PARAM_ERROR", "file");
}
