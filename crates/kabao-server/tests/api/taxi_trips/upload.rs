//! cards/upload-file (T10): a provider uploads the PDF of a fapiao one of
//! its companies issued, signed over the meta part with its SM3 digest.

use super::*;

#[tokio::test]
async fn a_pdf_for_the_providers_company_gets_a_media_id() {
    let world = FapiaoWorld::start().await;
    let fleet = shanghai_fleet(&world).await;
    let file = pdf("one");
    let (status, body) = upload(
        &world,
        &world.provider,
        &meta(&file, &fleet.company_mchid).to_string(),
        &file,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let id = body["fapiao_media_id"].as_str().unwrap();
    assert_eq!(
        id.len(),
        24,
        "16 bytes in base64, like ASNFZ4mrze/+3LqYdlQyEA==: {id}"
    );
    // The signing example's string region_id is read too.
    let mut as_text = meta(&file, &fleet.company_mchid);
    as_text["region_id"] = json!("310100");
    let (status, body) = upload(&world, &world.provider, &as_text.to_string(), &file).await;
    assert_eq!(status, 200, "{body}");
    assert_ne!(body["fapiao_media_id"].as_str().unwrap(), id);
}

#[tokio::test]
async fn a_bad_file_or_meta_names_the_field() {
    let world = FapiaoWorld::start().await;
    let fleet = shanghai_fleet(&world).await;
    let company = fleet.company_mchid.clone();
    let file = pdf("x");
    let not_pdf = b"PK\x03\x04 an OFD is a zip".to_vec();
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(2 * 1024 * 1024 + 1, b' ');
    let mut wrong_digest = meta(&file, &company);
    wrong_digest["digest"] = json!(sm3_hex(b"another file"));
    let mut md5 = meta(&file, &company);
    md5["digest_algorithm"] = json!("DIGEST_ALGORITHM_MD5");
    let mut no_company = meta(&file, &company);
    no_company.as_object_mut().unwrap().remove("company_mchid");
    let mut bad_region = meta(&file, &company);
    bad_region["region_id"] = json!("上海");
    let cases: [(Value, &[u8], &str); 6] = [
        (meta(&not_pdf, &company), &not_pdf, "file"),
        (meta(&big, &company), &big, "file"),
        (wrong_digest, &file, "digest"),
        (md5, &file, "digest_algorithm"),
        (no_company, &file, "company_mchid"),
        (bad_region, &file, "region_id"),
    ];
    for (meta, file, field) in cases {
        let answer = upload(&world, &world.provider, &meta.to_string(), file).await;
        assert_error(&answer, 400, "PARAM_ERROR", Some(field));
    }
}

#[tokio::test]
async fn only_the_providers_own_company_in_its_region_may_upload() {
    let world = FapiaoWorld::start().await;
    let fleet = shanghai_fleet(&world).await;
    let other = other_provider(&world).await;
    let file = pdf("x");
    let theirs = upload(
        &world,
        &other,
        &meta(&file, &fleet.company_mchid).to_string(),
        &file,
    )
    .await;
    assert_error(&theirs, 403, "NO_AUTH", Some("company_mchid"));
    assert_says(&theirs, "出租车公司不属于服务商");
    let unknown = upload(
        &world,
        &world.provider,
        &meta(&file, "1999999999").to_string(),
        &file,
    )
    .await;
    assert_error(&unknown, 403, "NO_AUTH", Some("company_mchid"));
    let mut chengdu = meta(&file, &fleet.company_mchid);
    chengdu["region_id"] = json!(510100);
    let elsewhere = upload(&world, &world.provider, &chengdu.to_string(), &file).await;
    assert_error(&elsewhere, 404, "NOT_FOUND", Some("region_id"));
    assert_says(&elsewhere, "未找到指定的出租车经营主体信息");
    let direct = upload(
        &world,
        &world.direct,
        &meta(&file, &fleet.company_mchid).to_string(),
        &file,
    )
    .await;
    assert_error(&direct, 403, "NO_AUTH", None);
    assert_says(&direct, "服务商无权限");
    let good = meta(&file, &fleet.company_mchid).to_string();
    let tampered = good.replace("310100", "310101");
    let unsigned = upload_signed(&world, &world.provider, &good, &tampered, &file).await;
    assert_error(&unsigned, 401, "SIGN_ERROR", None);
}
